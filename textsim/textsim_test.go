package textsim_test

import (
	"strings"
	"testing"

	"decisionflow/textsim"

	"github.com/stretchr/testify/require"
)

func TestShingles(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		same string
		n    int
	}{
		{name: "Empty", text: "", n: 0},
		{name: "OnlyPunctuation", text: "，。！ ?", n: 0},
		{name: "OneCharacter", text: "路", n: 1},
		{name: "Pairs", text: "停车场", n: 2},
		{name: "DistinctPairsOnce", text: "停车停车", n: 2},
		{name: "IgnoresCaseAndPunctuation", text: "Hello, 世界！", same: "hello世界", n: 6},
		{name: "Digits", text: "2026年", same: "2026 年", n: 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := textsim.Shingles(tc.text)
			require.Len(t, got, tc.n)
			require.IsNonDecreasing(t, got)
			if tc.same != "" {
				require.Equal(t, got, textsim.Shingles(tc.same))
			}
		})
	}
}

func TestJaccard(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []uint64
		want float64
	}{
		{name: "BothEmpty", want: 1},
		{name: "OneEmpty", a: []uint64{1}, want: 0},
		{name: "Same", a: []uint64{1, 2, 3}, b: []uint64{1, 2, 3}, want: 1},
		{name: "Disjoint", a: []uint64{1, 2}, b: []uint64{3, 4}, want: 0},
		{name: "Overlap", a: []uint64{1, 2, 3}, b: []uint64{2, 3, 4}, want: 0.5},
		{name: "Subset", a: []uint64{1, 2, 3, 4}, b: []uint64{2}, want: 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, textsim.Jaccard(tc.a, tc.b), 1e-12)
			require.InDelta(t, tc.want, textsim.Jaccard(tc.b, tc.a), 1e-12, "symmetric")
		})
	}
}

func TestSimilarity(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{name: "Same", a: "夜间免费停车", b: "夜间免费停车。", min: 1, max: 1},
		{name: "OneCharacterChanged", a: "我们坚决反对在幸福小区东门设置收费停车场", b: "我们坚决反对在幸福小区西门设置收费停车场", min: 0.8, max: 0.9},
		{name: "Unrelated", a: "建议夜间免费停车。", b: "请加强学校周边交通管理。", min: 0, max: 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := textsim.Similarity(tc.a, tc.b)
			require.GreaterOrEqual(t, s, tc.min)
			require.LessOrEqual(t, s, tc.max)
		})
	}
}

func TestMinHash(t *testing.T) {
	a := textsim.Shingles("我们坚决反对在幸福小区东门设置收费停车场，请政府重新考虑居民的出行需求。")
	b := textsim.Shingles("我们坚决反对在幸福小区西门设置收费停车场，请政府重新考虑居民的出行需求。")
	other := textsim.Shingles("建议夜间免费停车，并在学校周边增设临时停车位。")
	for _, tc := range []struct {
		name      string
		x, y      []uint64
		minShared int
		maxShared int
	}{
		{name: "Deterministic", x: a, y: a, minShared: textsim.MinHashBands, maxShared: textsim.MinHashBands},
		{name: "NearDuplicatesShareBands", x: a, y: b, minShared: 1, maxShared: textsim.MinHashBands},
		{name: "UnrelatedShareNone", x: a, y: other, minShared: 0, maxShared: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kx, ky := textsim.BandKeys(textsim.MinHash(tc.x)), textsim.BandKeys(textsim.MinHash(tc.y))
			shared := 0
			for i := range kx {
				if kx[i] == ky[i] {
					shared++
				}
			}
			require.GreaterOrEqual(t, shared, tc.minShared)
			require.LessOrEqual(t, shared, tc.maxShared)
		})
	}
	t.Run("EmptySet", func(t *testing.T) {
		for _, v := range textsim.MinHash(nil) {
			require.Equal(t, ^uint64(0), v)
		}
	})
	t.Run("BandsNeverMeet", func(t *testing.T) {
		var sig [textsim.MinHashes]uint64
		keys := textsim.BandKeys(sig)
		seen := map[uint64]bool{}
		for _, k := range keys {
			require.False(t, seen[k], "equal bands in different places have different keys")
			seen[k] = true
		}
	})
}

// chinese500 is a 500-character Chinese text, about the length of a long public comment.
var chinese500 = func() string {
	s := strings.Repeat("关于幸福小区东门设置收费停车场的意见：一、该路段早晚高峰车流密集，紧邻小学和社区卫生服务中心，"+
		"增设收费停车位将进一步压缩人行道宽度，学生上下学和老年人就医出行的安全难以保障。二、小区建成于上世纪九十年代，"+
		"内部没有地下车库，居民夜间停车长期依赖周边道路，收费标准应当区分居民与外来车辆，并对低收入家庭给予减免。"+
		"三、建议在正式实施前公开交通影响评估报告，组织听证会听取沿街商户、学校和业主委员会的意见，"+
		"同时明确收费资金的使用范围和公示方式，接受社会监督。四、可以考虑利用附近闲置的工业用地建设立体停车库，"+
		"通过错峰共享的办法缓解停车难问题，而不是简单地在主干道两侧划线收费。以上意见请予以研究采纳。", 2)
	return string([]rune(s)[:500])
}()

func BenchmarkShingles(b *testing.B) {
	for b.Loop() {
		textsim.Shingles(chinese500)
	}
}

func BenchmarkMinHash(b *testing.B) {
	sh := textsim.Shingles(chinese500)
	for b.Loop() {
		textsim.MinHash(sh)
	}
}

func BenchmarkJaccard(b *testing.B) {
	x := textsim.Shingles(chinese500)
	y := textsim.Shingles(strings.Replace(chinese500, "东门", "西门", 3))
	for b.Loop() {
		textsim.Jaccard(x, y)
	}
}
