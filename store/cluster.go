package store

import (
	"context"
	"fmt"

	"decisionflow/procedure"
	"decisionflow/textsim"

	"gorm.io/gorm"
)

// nearIndex finds the cluster whose representative is most similar to a text. MinHash
// bands (textsim.MinHashBands of two values) pick the candidates; the Jaccard similarity of
// the character pairs decides.
type nearIndex struct {
	bands    map[uint64][]int32
	ids      []int64
	shingles [][]uint64
}

func newNearIndex() *nearIndex { return &nearIndex{bands: map[uint64][]int32{}} }

func (x *nearIndex) add(id int64, shingles []uint64, keys [textsim.MinHashBands]uint64) {
	k := int32(len(x.ids))
	x.ids, x.shingles = append(x.ids, id), append(x.shingles, shingles)
	for _, key := range keys {
		x.bands[key] = append(x.bands[key], k)
	}
}

// nearest returns the most similar cluster at or above procedure.NearDuplicate, or 0.
func (x *nearIndex) nearest(shingles []uint64, keys [textsim.MinHashBands]uint64) int64 {
	best, bestSim := int64(0), procedure.NearDuplicate
	seen := map[int32]bool{}
	for _, key := range keys {
		for _, k := range x.bands[key] {
			if seen[k] {
				continue
			}
			seen[k] = true
			if sim := textsim.Jaccard(shingles, x.shingles[k]); sim > bestSim || (sim == bestSim && best == 0) {
				best, bestSim = x.ids[k], sim
			}
		}
	}
	return best
}

type commentCluster struct {
	ID             int64 `gorm:"primaryKey"`
	WorkflowID     string
	Representative int64
}

type textCluster struct {
	WorkflowID string `gorm:"primaryKey"`
	TextHash   string `gorm:"primaryKey"`
	Cluster    int64
}

// ClusterComments puts every text of a round not yet clustered into a cluster: an exact
// duplicate (same text hash) is already in one; a near duplicate joins the most similar
// cluster's representative; any other text starts a cluster with itself as representative.
// It is incremental and idempotent: only new texts are read, and one run at a time per round
// changes anything.
func (s *Store) ClusterComments(ctx context.Context, workflowID string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7130002, hashtext(?))", workflowID).Error; err != nil {
				return fmt.Errorf("lock clustering: %w", err)
			}
		}
		var fresh []struct {
			TextHash string
			First    int64
		}
		err := tx.Table("comments c").Select("c.text_hash, MIN(c.id) AS first").
			Joins("LEFT JOIN text_clusters t ON t.workflow_id = c.workflow_id AND t.text_hash = c.text_hash").
			Where("c.workflow_id = ? AND t.text_hash IS NULL", workflowID).Group("c.text_hash").Order("first").Scan(&fresh).Error
		if err != nil {
			return fmt.Errorf("read new texts of %s: %w", workflowID, err)
		}
		if len(fresh) == 0 {
			return nil
		}
		index, err := loadNearIndex(tx, workflowID)
		if err != nil {
			return err
		}
		firsts := make([]int64, len(fresh))
		for i, f := range fresh {
			firsts[i] = f.First
		}
		bodies, err := commentBodies(tx, firsts)
		if err != nil {
			return err
		}
		links := make([]textCluster, 0, len(fresh))
		for _, t := range fresh {
			sh := textsim.Shingles(bodies[t.First])
			keys := textsim.BandKeys(textsim.MinHash(sh))
			id := index.nearest(sh, keys)
			if id == 0 {
				c := commentCluster{WorkflowID: workflowID, Representative: t.First}
				if err := tx.Create(&c).Error; err != nil {
					return fmt.Errorf("start cluster: %w", err)
				}
				id = c.ID
				index.add(id, sh, keys)
			}
			links = append(links, textCluster{WorkflowID: workflowID, TextHash: t.TextHash, Cluster: id})
		}
		return tx.CreateInBatches(links, 2000).Error
	})
}

func loadNearIndex(tx *gorm.DB, workflowID string) (*nearIndex, error) {
	var known []commentCluster
	if err := tx.Where("workflow_id = ?", workflowID).Order("id").Find(&known).Error; err != nil {
		return nil, fmt.Errorf("read clusters of %s: %w", workflowID, err)
	}
	reps := make([]int64, len(known))
	for i, c := range known {
		reps[i] = c.Representative
	}
	bodies, err := commentBodies(tx, reps)
	if err != nil {
		return nil, err
	}
	index := newNearIndex()
	for _, c := range known {
		sh := textsim.Shingles(bodies[c.Representative])
		index.add(c.ID, sh, textsim.BandKeys(textsim.MinHash(sh)))
	}
	return index, nil
}

// commentBodies reads the texts of comments by ID.
func commentBodies(tx *gorm.DB, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for start := 0; start < len(ids); start += 5000 {
		var rows []struct {
			ID   int64
			Body string
		}
		if err := tx.Table("comments").Select("id, body").Where("id IN ?", ids[start:min(start+5000, len(ids))]).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("read comment texts: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Body
		}
	}
	return out, nil
}

// ClusterFilter pages a round's clusters, largest first.
type ClusterFilter struct {
	// MinSize leaves out smaller clusters; 2 shows only duplicated texts.
	MinSize int
	// Page is the page.
	Page Page
}

// Clusters clusters any new comments and returns a page of the round's clusters, largest
// first, each with its representative text and disposition.
func (s *Store) Clusters(ctx context.Context, workflowID string, f ClusterFilter) ([]procedure.Cluster, error) {
	if err := s.ClusterComments(ctx, workflowID); err != nil {
		return nil, err
	}
	return s.listClusters(ctx, workflowID, f)
}

// listClusters reads a page of the round's clusters as they stand.
func (s *Store) listClusters(ctx context.Context, workflowID string, f ClusterFilter) ([]procedure.Cluster, error) {
	var rows []struct {
		ID          int64
		Size        int64
		Texts       int64
		Rep         int64
		Body        string
		Publish     bool
		Disposition string
		Reason      string
	}
	q := s.db.WithContext(ctx).Table("comments c").
		Select(`tc.cluster AS id, COUNT(*) AS size, COUNT(DISTINCT c.text_hash) AS texts, k.representative AS rep, r.body, r.publish,
			COALESCE(cd.disposition, '') AS disposition, COALESCE(cd.reason, '') AS reason`).
		Joins("JOIN text_clusters tc ON tc.workflow_id = c.workflow_id AND tc.text_hash = c.text_hash").
		Joins("JOIN comment_clusters k ON k.id = tc.cluster").
		Joins("JOIN comments r ON r.id = k.representative").
		Joins("LEFT JOIN cluster_dispositions cd ON cd.cluster_id = tc.cluster").
		Where("c.workflow_id = ?", workflowID).
		Group("tc.cluster, k.representative, r.body, r.publish, cd.disposition, cd.reason").
		Having("COUNT(*) >= ?", max(f.MinSize, 1)).Order("size DESC, id")
	if err := f.Page.apply(q).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list clusters of %s: %w", workflowID, err)
	}
	out := make([]procedure.Cluster, len(rows))
	for i, r := range rows {
		out[i] = procedure.Cluster{ID: r.ID, Size: r.Size, Texts: r.Texts, Representative: r.Rep, Text: r.Body, Publish: r.Publish,
			Disposition: procedure.Disposition(r.Disposition), Reason: r.Reason}
	}
	return out, nil
}
