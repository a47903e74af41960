package signature_test

import (
	"testing"

	"decisionflow/signature"

	"github.com/stretchr/testify/require"
)

func TestSignVerify(t *testing.T) {
	for _, alg := range []string{signature.Ed25519, signature.SM2} {
		t.Run(alg, func(t *testing.T) {
			priv, pub, err := signature.GenerateKey(alg)
			require.NoError(t, err)
			key, err := signature.ParsePublicKey(pub)
			require.NoError(t, err)
			require.Equal(t, alg, key.Algorithm)
			require.Len(t, key.ID, 16)

			msg, err := signature.Canonical([]byte(`{"outcome":"lawful", "document":"sha256:x"}`))
			require.NoError(t, err)
			require.Equal(t, `{"document":"sha256:x","outcome":"lawful"}`, string(msg), "RFC 8785 orders members")
			sig, err := signature.Sign(priv, msg)
			require.NoError(t, err)
			require.NoError(t, key.Verify(msg, sig))

			tampered, _ := signature.Canonical([]byte(`{"outcome":"unlawful","document":"sha256:x"}`))
			require.Error(t, key.Verify(tampered, sig), "tampered payload")
			_, otherPub, _ := signature.GenerateKey(alg)
			other, _ := signature.ParsePublicKey(otherPub)
			require.Error(t, other.Verify(msg, sig), "wrong key")
			require.Error(t, key.Verify(msg, "!!"), "not base64")
		})
	}
	_, err := signature.ParsePublicKey("not pem")
	require.Error(t, err)
	_, _, err = signature.GenerateKey("rsa")
	require.Error(t, err)
}
