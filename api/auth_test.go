package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"decisionflow/api"
	"decisionflow/procedure"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// TestAuth_FutureToken refuses a token issued or made valid in the future beyond the clock
// skew allowed, and takes one within it.
func TestAuth_FutureToken(t *testing.T) {
	f := newFixture(t)
	f.store.decisions["BD-2026-007"] = procedure.Decision{Number: "BD-2026-007"}
	now := time.Now()
	tests := []struct {
		name     string
		iat, nbf time.Time
		wantCode int
	}{
		{"ErrIssuedInAnHour", now.Add(time.Hour), time.Time{}, http.StatusUnauthorized},
		{"ErrValidInAnHour", now, now.Add(time.Hour), http.StatusUnauthorized},
		{"IssuedInTenSeconds", now.Add(10 * time.Second), time.Time{}, http.StatusOK},
		{"ValidInTenSeconds", now, now.Add(10 * time.Second), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := api.Claims{RegisteredClaims: jwt.RegisteredClaims{Subject: officialLi.ID, Issuer: "decisionflow",
				IssuedAt: jwt.NewNumericDate(tt.iat), ExpiresAt: jwt.NewNumericDate(tt.iat.Add(2 * time.Hour))}, Roles: officialLi.Roles}
			if !tt.nbf.IsZero() {
				c.NotBefore = jwt.NewNumericDate(tt.nbf)
			}
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(testSecret)
			require.NoError(t, err)
			req := httptest.NewRequest(http.MethodGet, "/api/v1/decisions/BD-2026-007", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			f.handler.ServeHTTP(rec, req)
			require.Equal(t, tt.wantCode, rec.Code, rec.Body.String())
			if tt.wantCode == http.StatusUnauthorized {
				require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
				require.Contains(t, rec.Body.String(), `"code":"`+procedure.EUnauthenticated+`"`)
			}
		})
	}
}
