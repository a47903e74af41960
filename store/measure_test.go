package store_test

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// measured returns how many items a measurement of minutes runs with: it skips the test
// unless env is set; env=1 means def items, a larger number that many.
func measured(t *testing.T, env string, def int) int {
	v := os.Getenv(env)
	if v == "" {
		t.Skipf("a measurement of minutes: run with %s=1", env)
	}
	if n, err := strconv.Atoi(v); err == nil && n > 1 {
		return n
	}
	return def
}

// campaignText is one campaign's comment, sent in copies by the measurements.
const campaignText = "我们强烈建议学校周边停车场优先保障儿童上学接送车辆临时停放，早晚高峰免费十五分钟。"

// commonHan are the 500 most common Han characters, the alphabet of random comments.
var commonHan = []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严")

// randomComment is 30 to 89 characters drawn from commonHan.
func randomComment(r *rand.Rand) string {
	b := make([]rune, 30+r.IntN(60))
	for i := range b {
		b[i] = commonHan[r.IntN(len(commonHan))]
	}
	return string(b)
}
