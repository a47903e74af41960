package web

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"decisionflow/procedure"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"
)

// sessionOIDC keeps a sign-in in flight: its state, nonce, PKCE verifier and where to go after.
const sessionOIDC = "oidc"

// oidcCallbackPath is where the provider sends people back; OIDCConfig.RedirectURL ends with it.
const oidcCallbackPath = "/signin/oidc/callback"

// OIDCConfig configures sign-in with an OpenID provider.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is read by NewOIDC.
	Issuer string
	// ClientID is the pages' client ID at the provider; ID tokens must name it as audience.
	ClientID string
	// ClientSecret is the client's secret; empty for a public client.
	ClientSecret string
	// RedirectURL is the callback registered with the provider: this site's URL ending in
	// /signin/oidc/callback.
	RedirectURL string
	// Scopes are requested besides openid; nil means profile.
	Scopes []string
	// RoleClaim names the ID token claim that holds a person's roles: a string, an array of
	// strings, or an object whose keys are the roles. Empty means "roles".
	RoleClaim string
	// RoleMap maps the role claim's values to roles. When empty, values that are role names
	// are taken as they are. Values it does not name, or that are not roles, are dropped.
	RoleMap map[string]procedure.Role
	// UnitClaim names the claim that holds a person's unit. Empty means "unit".
	UnitClaim string
	// NameClaim names the claim that holds a person's name. Empty means "name"; a person
	// without one is shown by their subject.
	NameClaim string
}

// OIDC signs people in to the pages with an OpenID provider: the authorization-code flow with
// PKCE, a state and a nonce kept in the session, and an ID token checked for the provider's
// signature, issuer, audience, expiry and nonce before its claims become the session's actor.
type OIDC struct {
	oauth     oauth2.Config
	verifier  *oidc.IDTokenVerifier
	client    *http.Client
	roleClaim string
	unitClaim string
	nameClaim string
	roleMap   map[string]procedure.Role
}

// oidcFlow is a sign-in in flight, kept in the session between the redirect to the provider
// and the callback.
type oidcFlow struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
	Next     string `json:"next"`
}

// NewOIDC reads the provider's discovery document and returns the sign-in. The HTTP client
// talking to the provider is ctx's oauth2.HTTPClient if set (see oidc.ClientContext), else
// one with a 10 s timeout.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" {
		return nil, errors.New("oidc: issuer and client ID are required")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || u.Host == "" || !strings.HasSuffix(u.Path, oidcCallbackPath) {
		return nil, fmt.Errorf("oidc: redirect URL %q must be an absolute URL ending in %s", cfg.RedirectURL, oidcCallbackPath)
	}
	for value, role := range cfg.RoleMap {
		if !knownRole(role) {
			return nil, fmt.Errorf("oidc: role map sends %q to %q, which is not a role", value, role)
		}
	}
	client, ok := ctx.Value(oauth2.HTTPClient).(*http.Client)
	if !ok {
		client = &http.Client{Timeout: 10 * time.Second}
		ctx = oidc.ClientContext(ctx, client)
	}
	provider, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s: %w", cfg.Issuer, err)
	}
	scopes := cfg.Scopes
	if scopes == nil {
		scopes = []string{"profile"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return &OIDC{
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       scopes,
		},
		verifier:  provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		client:    client,
		roleClaim: cmp.Or(cfg.RoleClaim, "roles"),
		unitClaim: cmp.Or(cfg.UnitClaim, "unit"),
		nameClaim: cmp.Or(cfg.NameClaim, "name"),
		roleMap:   cfg.RoleMap,
	}, nil
}

// mount serves the redirect to the provider and the callback from it.
func (o *OIDC) mount(g *echo.Group, w *Web) {
	g.GET("/signin/oidc", func(c echo.Context) error { return o.start(c, w) })
	g.GET(oidcCallbackPath, func(c echo.Context) error { return o.callback(c, w) })
}

// start keeps a new state, nonce and PKCE verifier in the session and sends the person to
// the provider. A second start in the same session replaces the first.
func (o *OIDC) start(c echo.Context, w *Web) error {
	f := oidcFlow{State: newToken(), Nonce: newToken(), Verifier: oauth2.GenerateVerifier(), Next: localPath(c.QueryParam("next"))}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	w.sessions.Put(c.Request().Context(), sessionOIDC, string(raw))
	return c.Redirect(http.StatusSeeOther, o.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)))
}

// callback ends the sign-in begun by start: it checks the state, redeems the code with the
// PKCE verifier, verifies the ID token and its nonce, and signs in the person it names.
func (o *OIDC) callback(c echo.Context, w *Web) error {
	ctx := c.Request().Context()
	// Popped before any check, so a state is good for one callback only, failed or not.
	raw := w.sessions.PopString(ctx, sessionOIDC)
	q := c.QueryParams()
	if code := q.Get("error"); code != "" {
		w.logger.Info("oidc sign-in refused by provider", "error", code)
		return echo.NewHTTPError(http.StatusUnauthorized, "身份认证平台未同意登录，请重新登录 / the identity provider did not sign you in; please try again")
	}
	var f oidcFlow
	if raw == "" || json.Unmarshal([]byte(raw), &f) != nil || f.State == "" ||
		subtle.ConstantTimeCompare([]byte(f.State), []byte(q.Get("state"))) != 1 {
		return echo.NewHTTPError(http.StatusUnauthorized, "登录请求已失效或与本次会话不符，请重新登录 / the sign-in request has expired or does not belong to this session; please sign in again")
	}
	ctx = oidc.ClientContext(ctx, o.client)
	tok, err := o.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		w.logger.Warn("oidc code exchange failed", "err", exchangeError(err))
		return echo.NewHTTPError(http.StatusUnauthorized, "无法向身份认证平台兑换授权码，请重新登录 / the identity provider did not accept the sign-in code; please sign in again")
	}
	a, err := o.actor(ctx, tok, f.Nonce)
	if err != nil {
		w.logger.Warn("oidc id token refused", "err", err)
		return echo.NewHTTPError(http.StatusUnauthorized, "身份令牌无效，请重新登录 / the identity token is not valid; please sign in again")
	}
	if len(a.Roles) == 0 {
		w.logger.Info("oidc sign-in without a role", "subject", a.ID)
		return echo.NewHTTPError(http.StatusForbidden, "您在本平台没有任何角色，请联系系统管理员 / you hold no role on this platform; ask an administrator")
	}
	if err := w.signIn(c, a); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(f.Next))
}

// actor verifies the token response's ID token (signature, issuer, audience, expiry, nonce)
// and maps its claims to an actor. Its errors never hold the token.
func (o *OIDC) actor(ctx context.Context, tok *oauth2.Token, nonce string) (procedure.Actor, error) {
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return procedure.Actor{}, errors.New("no id_token in the token response")
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return procedure.Actor{}, err
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return procedure.Actor{}, errors.New("nonce does not match the session's")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return procedure.Actor{}, err
	}
	return o.actorFrom(idt.Subject, claims), nil
}

// actorFrom maps an ID token's claims to an actor.
func (o *OIDC) actorFrom(subject string, claims map[string]any) procedure.Actor {
	a := procedure.Actor{ID: subject, Name: stringClaim(claims, o.nameClaim), Unit: stringClaim(claims, o.unitClaim)}
	if a.Name == "" {
		a.Name = subject
	}
	for _, value := range stringsClaim(claims[o.roleClaim]) {
		role, ok := o.roleMap[value]
		if len(o.roleMap) == 0 {
			role, ok = procedure.Role(value), knownRole(procedure.Role(value))
		}
		if ok && !slices.Contains(a.Roles, role) {
			a.Roles = append(a.Roles, role)
		}
	}
	return a
}

// knownRole reports whether r is one of decisionflow's roles: those the pages have a name for.
func knownRole(r procedure.Role) bool {
	_, ok := roleNames[r]
	return ok
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return strings.TrimSpace(s)
}

// stringsClaim reads a claim that is a string, an array of strings, or an object whose keys
// are the values (as some providers give roles); anything else reads as none.
func stringsClaim(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case map[string]any:
		return slices.Sorted(maps.Keys(v))
	}
	return nil
}

// exchangeError keeps only the provider's error code of a failed exchange: the response body
// it otherwise carries is the provider's to word, and is not logged.
func exchangeError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		return fmt.Sprintf("token endpoint answered %d %s", re.Response.StatusCode, re.ErrorCode)
	}
	return err.Error()
}
