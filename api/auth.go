package api

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"decisionflow/procedure"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
)

// Claims are the bearer token's claims: the registered ones, plus the person's name, unit and
// global roles.
type Claims struct {
	jwt.RegisteredClaims
	// Name is the person's display name.
	Name string `json:"name,omitempty"`
	// Unit is the person's organ or department.
	Unit string `json:"unit,omitempty"`
	// Roles are the person's global roles.
	Roles []procedure.Role `json:"roles"`
}

// Actor is the person the claims describe.
func (c Claims) Actor() procedure.Actor {
	return procedure.Actor{ID: c.Subject, Name: c.Name, Unit: c.Unit, Roles: c.Roles}
}

// clockSkew is how far the token issuer's clock may be ahead of or behind ours: a token
// expired, issued ("iat") or valid from ("nbf") within it of now is taken as current, and
// one issued or made valid further in the future is refused.
const clockSkew = 30 * time.Second

// Verifier checks bearer tokens.
type Verifier struct {
	keys     jwt.Keyfunc
	methods  []string
	issuer   string
	audience string
}

// NewHMACVerifier verifies HS256 tokens signed with secret (for development and single-node
// deployments); issuer and audience, when set, must match.
func NewHMACVerifier(secret []byte, issuer, audience string) *Verifier {
	return &Verifier{keys: func(*jwt.Token) (any, error) { return secret, nil }, methods: []string{"HS256"}, issuer: issuer, audience: audience}
}

// NewKeyVerifier verifies RS256 or EdDSA tokens with the given public keys, tried by the
// token's "kid" header when keys has that ID, else each in turn.
func NewKeyVerifier(keys map[string]any, issuer, audience string) *Verifier {
	set := jwt.VerificationKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, k)
	}
	lookup := func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != "" {
			if k, ok := keys[kid]; ok {
				return k, nil
			}
		}
		return set, nil
	}
	return &Verifier{keys: lookup, methods: []string{"RS256", "EdDSA"}, issuer: issuer, audience: audience}
}

// Verify parses and checks a token and returns its claims.
func (v *Verifier) Verify(token string) (Claims, error) {
	opts := []jwt.ParserOption{jwt.WithValidMethods(v.methods), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(clockSkew)}
	if v.issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.issuer))
	}
	if v.audience != "" {
		opts = append(opts, jwt.WithAudience(v.audience))
	}
	var c Claims
	if _, err := jwt.ParseWithClaims(token, &c, v.keys, opts...); err != nil {
		return Claims{}, err
	}
	if c.Subject == "" {
		return Claims{}, errors.New("token has no subject")
	}
	return c, nil
}

// IssueHMAC signs an HS256 token for actor, valid for ttl; `decisionflow token` uses it.
func IssueHMAC(secret []byte, issuer, audience string, actor procedure.Actor, now time.Time, ttl time.Duration) (string, error) {
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{Subject: actor.ID, Issuer: issuer, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))},
		Name:             actor.Name, Unit: actor.Unit, Roles: actor.Roles,
	}
	if audience != "" {
		c.Audience = jwt.ClaimStrings{audience}
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}

const actorKey = "decisionflow.actor"

// inProcessActor is the context key of an actor whom the process itself authenticated.
type inProcessActor struct{}

// WithActor returns a context whose requests, served by the API's handler in the same
// process, are made by a: the pages, which sign people in with sessions, call the API this
// way so that every act passes the same roles, validation, signatures and idempotency as a
// bearer token's. Only code in the process can set it; no request header can.
func WithActor(ctx context.Context, a procedure.Actor) context.Context {
	return context.WithValue(ctx, inProcessActor{}, a)
}

// authenticate requires a valid bearer token, or an actor set in process by WithActor, and
// puts the actor in the request context.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if a, ok := c.Request().Context().Value(inProcessActor{}).(procedure.Actor); ok && a.ID != "" {
			c.Set(actorKey, a)
			return next(c)
		}
		raw, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || raw == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="decisionflow"`)
			return procedure.Errorf(procedure.EUnauthenticated, "需要登录（Bearer 令牌）", "a bearer token is required")
		}
		claims, err := s.verifier.Verify(raw)
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="decisionflow", error="invalid_token"`)
			return procedure.Errorf(procedure.EUnauthenticated, "令牌无效或已过期", "the token is invalid or expired")
		}
		c.Set(actorKey, claims.Actor())
		return next(c)
	}
}

// actorOf returns the authenticated actor of the request.
func actorOf(c echo.Context) procedure.Actor {
	a, _ := c.Get(actorKey).(procedure.Actor)
	return a
}

// requireRoles lets the request through only for an actor with one of roles, or, with no
// roles given, for anyone but an auditor (e.g. a hearing participant confirming the record).
// The procedure's own checks then decide whether this person may perform this act on this
// decision. Auditors read everything and write nothing.
func requireRoles(roles ...procedure.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := actorOf(c)
			if slices.ContainsFunc(roles, a.Has) || (len(roles) == 0 && !a.Has(procedure.RoleAuditor)) {
				return next(c)
			}
			return procedure.Errorf(procedure.EPermissionDenied, "当前角色无权执行此操作", "your roles do not allow this")
		}
	}
}
