package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"decisionflow/procedure"
	"decisionflow/signature"
	"decisionflow/store"
	"decisionflow/store/storetest"

	"github.com/stretchr/testify/require"
)

const tamperNumber = "BD-2026-31"

// recordedDecision stores one of every kind of row the ledger covers: a drill decision under a
// rulebook, acts (one signed, one with a note), a key that signed and one revoked, a document,
// comments with contacts and consent, a cluster's and a comment's dispositions, and hearing
// registrations with a draw.
func recordedDecision(t *testing.T, st *store.Store) {
	ctx := context.Background()
	now := time.Now()
	d, err := procedure.NewDecision(tamperNumber, "宝坻区停车管理办法", now)
	require.NoError(t, err)
	d.Rulebook, d.Drill = procedure.RulebookRef{ID: "tianjin-2024", Version: "1", Hash: strings.Repeat("b", 64)}, true
	d.Organ = "天津市宝坻区人民政府"
	require.NoError(t, st.CreateDecision(ctx, d))

	priv, pub, err := signature.GenerateKey(signature.Ed25519)
	require.NoError(t, err)
	pk, err := signature.ParsePublicKey(pub)
	require.NoError(t, err)
	require.NoError(t, st.RegisterKey(ctx, procedure.Key{ID: pk.ID, Owner: "wang", Algorithm: pk.Algorithm, PublicKey: pk.PEM, CreatedAt: now}))
	_, pub2, err := signature.GenerateKey(signature.Ed25519)
	require.NoError(t, err)
	pk2, err := signature.ParsePublicKey(pub2)
	require.NoError(t, err)
	require.NoError(t, st.RegisterKey(ctx, procedure.Key{ID: pk2.ID, Owner: "zhao", Algorithm: pk2.Algorithm, PublicKey: pk2.PEM, CreatedAt: now}))
	require.NoError(t, st.RevokeKey(ctx, pk2.ID, now))

	body, _ := signature.Canonical([]byte(`{"outcome":"lawful"}`))
	sig, err := signature.Sign(priv, body)
	require.NoError(t, err)
	today := procedure.DateOf(now)
	notice, _ := json.Marshal(procedure.Notice{Draft: "sha256:" + strings.Repeat("d", 64), Explanation: strings.Repeat("e", 64),
		HowToComment: "网上提交", Opens: today.AddDays(-1), Closes: today.AddDays(29)})
	for _, a := range []procedure.ActRecord{
		{WorkflowID: tamperNumber, Seq: 1, Payload: `{"units":[{"name":"区住建委"}]}`, Event: procedure.Event{Kind: "start_decision", Actor: "head"}},
		{WorkflowID: tamperNumber + "/participation/1", Seq: 1, Payload: string(notice), Event: procedure.Event{Kind: "consultation_notice", Actor: "li", DraftVersion: 1}},
		{WorkflowID: tamperNumber + "/legality/1", Seq: 1, Payload: `{"outcome":"lawful"}`, Event: procedure.Event{Kind: "legality_opinion", Actor: "wang", Note: "经审查合法"},
			Signature: &procedure.Signature{KeyID: pk.ID, Algorithm: pk.Algorithm, Value: sig, Body: string(body)}},
	} {
		a.Decision, a.Event.At, a.Event.Stage = tamperNumber, time.Now(), procedure.StageConsultation
		require.NoError(t, st.RecordAct(ctx, a))
	}
	content := []byte("%PDF-1.7 停车管理办法（征求意见稿）")
	sum := sha256.Sum256(content)
	require.NoError(t, st.FileDocument(ctx, tamperNumber, procedure.Document{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(content)),
		MediaType: "application/pdf", Name: "草案.pdf", Kind: "draft", UploadedBy: "li", UploadedAt: now}, content))

	in := st.StartIntake(store.IntakeOptions{})
	for i, text := range []string{"建议夜间免费停车。", "建议夜间免费停车。", "请增设自行车停放点。"} {
		_, err := in.Submit(ctx, tamperNumber, "", procedure.Comment{Text: text, Clause: i + 1, Contact: fmt.Sprintf("1380000000%d", i), Publish: i == 0})
		require.NoError(t, err)
	}
	in.Close()
	wf := tamperNumber + "/participation/1"
	require.NoError(t, st.ClusterComments(ctx, wf))
	clusters, err := st.Clusters(ctx, wf, store.ClusterFilter{MinSize: 2, Page: store.Page{Number: 1, Size: 10}})
	require.NoError(t, err)
	require.Len(t, clusters, 1)
	official := procedure.Actor{ID: "li", Roles: []procedure.Role{procedure.RoleOfficial}}
	_, err = st.Dispose(ctx, wf, official, procedure.DispositionRequest{Clusters: []int64{clusters[0].ID},
		Disposition: procedure.Adopted, Reason: "已采纳"}, time.Now())
	require.NoError(t, err)
	_, err = st.Dispose(ctx, wf, official, procedure.DispositionRequest{Undisposed: true,
		Disposition: procedure.NotAdopted, Reason: "不属于本办法调整范围"}, time.Now())
	require.NoError(t, err)

	for _, name := range []string{"张三", "李四"} {
		_, err := st.RegisterForHearing(ctx, tamperNumber, 0, procedure.HearingRegistration{Name: name, Contact: "139" + name, Statement: "住在附近"})
		require.NoError(t, err)
	}
	_, err = st.SelectHearingParticipants(ctx, wf, 0, 1, official, time.Now())
	require.NoError(t, err)
	_, err = st.SealComments(ctx, wf, time.Now())
	require.NoError(t, err)
}

// tamper is one edit an attacker makes and the mismatch the check must report.
type tamper struct {
	table, field string
	key          string // a query for the row's key, or the key itself when it does not start with SELECT
	edit         string // the statement; {key} stands for the key
}

var tampers = []tamper{
	{"decisions", "title", tamperNumber, `UPDATE decisions SET title = '别的办法' WHERE number = '{key}'`},
	{"decisions", "rulebook_id", tamperNumber, `UPDATE decisions SET rulebook_id = 'national-2019' WHERE number = '{key}'`},
	{"decisions", "rulebook_hash", tamperNumber, `UPDATE decisions SET rulebook_hash = 'c' WHERE number = '{key}'`},
	{"decisions", "drill", tamperNumber, `UPDATE decisions SET drill = FALSE WHERE number = '{key}'`},
	{"decisions", "organ", tamperNumber, `UPDATE decisions SET organ = '北京市朝阳区人民政府' WHERE number = '{key}'`},
	{"decisions", "row", tamperNumber, `DELETE FROM decisions WHERE number = '{key}'`},
	{"acts", "payload", "SELECT id FROM acts WHERE kind = 'start_decision'", `UPDATE acts SET payload = '{"units":[]}' WHERE id = {key}`},
	{"acts", "note", "SELECT id FROM acts WHERE kind = 'legality_opinion'", `UPDATE acts SET note = '经审查不合法' WHERE id = {key}`},
	{"acts", "actor_unit", "SELECT id FROM acts WHERE kind = 'legality_opinion'", `UPDATE acts SET actor_unit = '区司法局' WHERE id = {key}`},
	{"acts", "signed_body", "SELECT id FROM acts WHERE kind = 'legality_opinion'", `UPDATE acts SET signed_body = '{"outcome":"unlawful"}' WHERE id = {key}`},
	{"acts", "signature_value", "SELECT id FROM acts WHERE kind = 'legality_opinion'", `UPDATE acts SET signature_value = 'AAAA' WHERE id = {key}`},
	{"acts", "actor", "SELECT id FROM acts WHERE kind = 'start_decision'", `UPDATE acts SET actor = 'someone' WHERE id = {key}`},
	{"acts", "stage", "SELECT id FROM acts WHERE kind = 'start_decision'", `UPDATE acts SET stage = 'closed' WHERE id = {key}`},
	{"acts", "row", tamperNumber + "/legality/1#1", `DELETE FROM acts WHERE kind = 'legality_opinion'`},
	{"acts", "row", "SELECT CAST(MAX(id) + 1 AS TEXT) FROM acts", `INSERT INTO acts (id, decision, workflow_id, seq, kind, stage, payload, at)
		VALUES ({key}, 'BD-2026-31', 'BD-2026-31', 9, 'minutes', 'meeting', '{}', CURRENT_TIMESTAMP)`},
	{"keys", "owner", "SELECT id FROM keys WHERE owner = 'wang'", `UPDATE keys SET owner = 'zhao' WHERE id = '{key}'`},
	{"keys", "public_key", "SELECT id FROM keys WHERE owner = 'wang'", `UPDATE keys SET public_key = 'forged' WHERE id = '{key}'`},
	{"keys", "revoked_at", "SELECT id FROM keys WHERE owner = 'wang'", `UPDATE keys SET revoked_at = created_at WHERE id = '{key}'`},
	{"keys", "revoked_at", "SELECT id FROM keys WHERE owner = 'zhao'", `UPDATE keys SET revoked_at = NULL WHERE id = '{key}'`},
	{"keys", "row", "SELECT id FROM keys WHERE owner = 'wang'", `DELETE FROM keys WHERE id = '{key}'`},
	{"decision_documents", "name", "SELECT id FROM decision_documents", `UPDATE decision_documents SET name = '别的.pdf' WHERE id = {key}`},
	{"decision_documents", "kind", "SELECT id FROM decision_documents", `UPDATE decision_documents SET kind = 'minutes' WHERE id = {key}`},
	{"documents", "content", "SELECT sha256 FROM documents", `UPDATE documents SET content = content || content WHERE sha256 = '{key}'`},
	{"comments", "body", "SELECT MIN(id) FROM comments", `UPDATE comments SET body = '反对夜间免费停车。' WHERE id = {key}`},
	{"comments", "clause", "SELECT MIN(id) FROM comments", `UPDATE comments SET clause = 3 WHERE id = {key}`},
	{"comments", "publish", "SELECT MIN(id) FROM comments", `UPDATE comments SET publish = FALSE WHERE id = {key}`},
	{"comments", "contact", "SELECT MIN(id) FROM comments", `UPDATE comments SET contact = '13900000000' WHERE id = {key}`},
	{"comments", "receipt", "SELECT MIN(id) FROM comments", `UPDATE comments SET receipt = 'YJ-0000-0000-0000-0000' WHERE id = {key}`},
	{"comments", "row", "SELECT MAX(id) FROM comments", `DELETE FROM comments WHERE id = {key}`},
	{"comments", "row", "SELECT CAST(MAX(id) + 1 AS TEXT) FROM comments", `INSERT INTO comments (id, workflow_id, receipt, body, text_hash, batch, received_at)
		SELECT {key}, workflow_id, 'YJ-1111-1111-1111-1111', '插入的意见', text_hash, batch, received_at FROM comments WHERE id = {key} - 1`},
	{"comment_batches", "digest", "SELECT MIN(id) FROM comment_batches WHERE count > 0", `UPDATE comment_batches SET digest = 'forged' WHERE id = {key}`},
	{"comment_batches", "count", "SELECT MIN(id) FROM comment_batches WHERE count > 0", `UPDATE comment_batches SET count = count + 1 WHERE id = {key}`},
	{"comment_batches", "first_id", "SELECT MIN(id) FROM comment_batches WHERE count > 0", `UPDATE comment_batches SET first_id = first_id + 1 WHERE id = {key}`},
	{"comment_batches", "last_id", "SELECT MIN(id) FROM comment_batches WHERE count > 0", `UPDATE comment_batches SET last_id = last_id - 1 WHERE id = {key}`},
	{"comment_batches", "row", "SELECT MIN(id) FROM comment_batches WHERE count > 0", `DELETE FROM comment_batches WHERE id = {key}`},
	{"comment_dispositions", "disposition", "SELECT MIN(comment_id) FROM comment_dispositions", `UPDATE comment_dispositions SET disposition = 'adopted' WHERE comment_id = {key}`},
	{"comment_dispositions", "reason", "SELECT MIN(comment_id) FROM comment_dispositions", `UPDATE comment_dispositions SET reason = '理由' WHERE comment_id = {key}`},
	{"comment_dispositions", "actor", "SELECT MIN(comment_id) FROM comment_dispositions", `UPDATE comment_dispositions SET actor = 'wu' WHERE comment_id = {key}`},
	{"comment_dispositions", "row", "SELECT MIN(comment_id) FROM comment_dispositions", `DELETE FROM comment_dispositions WHERE comment_id = {key}`},
	{"cluster_dispositions", "disposition", "SELECT MIN(cluster_id) FROM cluster_dispositions", `UPDATE cluster_dispositions SET disposition = 'not_adopted' WHERE cluster_id = {key}`},
	{"cluster_dispositions", "reason", "SELECT MIN(cluster_id) FROM cluster_dispositions", `UPDATE cluster_dispositions SET reason = '' WHERE cluster_id = {key}`},
	{"cluster_dispositions", "row", "SELECT MIN(cluster_id) FROM cluster_dispositions", `DELETE FROM cluster_dispositions WHERE cluster_id = {key}`},
	{"hearing_registrations", "name", "SELECT MIN(id) FROM hearing_registrations", `UPDATE hearing_registrations SET name = '王五' WHERE id = {key}`},
	{"hearing_registrations", "contact", "SELECT MIN(id) FROM hearing_registrations", `UPDATE hearing_registrations SET contact = '1' WHERE id = {key}`},
	{"hearing_registrations", "statement", "SELECT MIN(id) FROM hearing_registrations", `UPDATE hearing_registrations SET statement = '' WHERE id = {key}`},
	{"hearing_registrations", "selected", "SELECT MIN(id) FROM hearing_registrations", `UPDATE hearing_registrations SET selected = NOT selected WHERE id = {key}`},
	{"hearing_registrations", "row", "SELECT MIN(id) FROM hearing_registrations", `DELETE FROM hearing_registrations WHERE id = {key}`},
	{"consultations", "comments", tamperNumber + "/participation/1", `UPDATE consultations SET comments = comments + 1 WHERE workflow_id = '{key}'`},
	{"consultations", "digest", tamperNumber + "/participation/1", `UPDATE consultations SET digest = 'forged' WHERE workflow_id = '{key}'`},
	{"consultations", "sealed_at", tamperNumber + "/participation/1", `UPDATE consultations SET sealed_at = NULL WHERE workflow_id = '{key}'`},
	{"consultations", "row", tamperNumber + "/participation/1", `DELETE FROM consultations WHERE workflow_id = '{key}'`},
	{"ledger_records", "data", "SELECT idx FROM ledger_records WHERE kind = 'start_decision'", `UPDATE ledger_records SET data = replace(data, 'start_decision', 'forged') WHERE idx = {key}`},
}

// TestVerifyRows_Tampering edits, one at a time, one field of every kind of row the ledger
// covers — triggers dropped first, as someone with access to the database would — and deletes
// or adds rows, and shows that the check names the table, the key and the field each time.
func TestVerifyRows_Tampering(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			t.Run("untouched", func(t *testing.T) {
				st := storetest.Open(t, d)
				recordedDecision(t, st)
				check, err := st.VerifyRows(context.Background())
				require.NoError(t, err)
				require.True(t, check.OK(), "the untouched record passes: %v", check.Mismatches)
				require.Positive(t, check.Rows)
			})
			for i, tc := range tampers {
				// Numbered: a repeated name would get a "#01" suffix, which a SQLite file URI cuts.
				t.Run(fmt.Sprintf("%02d-%s.%s", i, tc.table, tc.field), func(t *testing.T) {
					st := storetest.Open(t, d)
					ctx := context.Background()
					recordedDecision(t, st)
					key := tc.key
					if strings.HasPrefix(key, "SELECT") {
						var err error
						key, err = st.QueryIDForTest(ctx, key)
						require.NoError(t, err)
					}
					require.NoError(t, st.DisableTriggersForTest(ctx, tc.table))
					require.NoError(t, st.ExecForTest(ctx, strings.ReplaceAll(tc.edit, "{key}", key)))
					check, err := st.VerifyRows(ctx)
					require.NoError(t, err)
					require.False(t, check.OK(), "%s.%s of %s changed without notice", tc.table, tc.field, key)
					found := false
					for _, m := range check.Mismatches {
						found = found || (m.Table == tc.table && m.Key == key && m.Field == tc.field)
					}
					require.True(t, found, "want %s %s %s, got %v", tc.table, key, tc.field, check.Mismatches)
				})
			}
		})
	}
}

// TestVerifyComments_NamesTheComment edits one comment of a round: the round's check names
// the comment and the field, not only its batch.
func TestVerifyComments_NamesTheComment(t *testing.T) {
	dialects(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		recordedDecision(t, st)
		id, err := st.QueryIDForTest(ctx, "SELECT MIN(id) FROM comments")
		require.NoError(t, err)
		require.NoError(t, st.DisableTriggersForTest(ctx, "comments"))
		require.NoError(t, st.ExecForTest(ctx, "UPDATE comments SET body = '篡改后的意见' WHERE id = "+id))
		check, err := st.VerifyComments(ctx, tamperNumber+"/participation/1")
		require.NoError(t, err)
		require.False(t, check.OK())
		require.Len(t, check.Mismatches, 1, "%v", check.Mismatches)
		require.True(t, strings.HasPrefix(check.Mismatches[0].String(), "comments "+id+" body "), check.Mismatches[0].String())
	})
}
