package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"

	"decisionflow/procedure"

	"github.com/labstack/echo/v4"
)

func (w *Web) keyRoutes(g *echo.Group) {
	g.GET("/keys", w.keys)
	g.POST("/keys", w.registerKey)
	g.POST("/keys/:id/revoke", w.revokeKey)
}

// keyView is a registered key with its fingerprint.
type keyView struct {
	procedure.Key
	Fingerprint string
}

// fingerprint is the SHA-256 of the key's DER encoding, in groups of four hex digits.
func fingerprint(pemText string) string {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return ""
	}
	sum := sha256.Sum256(block.Bytes)
	h := hex.EncodeToString(sum[:])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

func (w *Web) keys(c echo.Context) error {
	var keys []procedure.Key
	if err := w.callAPI(c, http.MethodGet, "/api/v1/keys", nil, nil).decode(&keys); err != nil {
		return err
	}
	views := make([]keyView, 0, len(keys))
	for _, k := range keys {
		views = append(views, keyView{Key: k, Fingerprint: fingerprint(k.PublicKey)})
	}
	return w.render(c, http.StatusOK, keysPage(w.page(c, T("签名密钥", "Signing keys")), views))
}

// registerKey registers the browser's new public key (PEM) for the person; the page's script
// sends it on first use and keeps the private key, non-extractable, in the browser. It answers
// the registered key as JSON to the script, or returns to the keys page.
func (w *Web) registerKey(c echo.Context) error {
	raw, _ := json.Marshal(map[string]string{"public_key": c.FormValue("public_key")})
	ans := w.callAPI(c, http.MethodPost, "/api/v1/keys", raw, http.Header{"Idempotency-Key": {newToken()[:32]}})
	if !ans.OK() {
		p := ans.problem()
		if strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
			return c.JSON(p.Status, p.Problem)
		}
		return p
	}
	if strings.Contains(c.Request().Header.Get("Accept"), "application/json") {
		return c.Blob(http.StatusCreated, "application/json", ans.Body())
	}
	w.flash(c, T("已登记签名公钥", "Key registered"))
	return c.Redirect(http.StatusSeeOther, "/keys")
}

func (w *Web) revokeKey(c echo.Context) error {
	ans := w.callAPI(c, http.MethodPost, "/api/v1/keys/"+url.PathEscape(c.Param("id"))+"/revoke", nil, http.Header{"Idempotency-Key": {newToken()[:32]}})
	if !ans.OK() {
		return ans.problem()
	}
	w.flash(c, T("已吊销公钥 "+c.Param("id"), "Key "+c.Param("id")+" revoked"))
	return c.Redirect(http.StatusSeeOther, "/keys")
}
