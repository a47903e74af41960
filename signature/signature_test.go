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

func TestMessage_BindsTheAct(t *testing.T) {
	priv, pub, err := signature.GenerateKey(signature.Ed25519)
	require.NoError(t, err)
	key, _ := signature.ParsePublicKey(pub)
	body := []byte(`{"grade":"low", "document":"sha256:r"}`)
	const act = "/api/v1/decisions/BD-2026-007/risk/1/risk-report"
	msg, err := signature.Message(act, "k1", body)
	require.NoError(t, err)
	require.Equal(t, `{"act":"`+act+`","body":{"document":"sha256:r","grade":"low"},"nonce":"k1","v":2}`, string(msg))
	sig, err := signature.Sign(priv, msg)
	require.NoError(t, err)
	require.NoError(t, key.Verify(msg, sig))

	for name, other := range map[string][3]string{
		"another decision": {"/api/v1/decisions/BD-2026-008/risk/1/risk-report", "k1", string(body)},
		"another round":    {"/api/v1/decisions/BD-2026-007/risk/2/risk-report", "k1", string(body)},
		"another act":      {"/api/v1/decisions/BD-2026-007/expert/1/opinion", "k1", string(body)},
		"another nonce":    {act, "k2", string(body)},
		"another body":     {act, "k1", `{"grade":"high","document":"sha256:r"}`},
	} {
		m, err := signature.Message(other[0], other[1], []byte(other[2]))
		require.NoError(t, err)
		require.Error(t, key.Verify(m, sig), name)
	}
	bare, _ := signature.Canonical(body)
	require.Error(t, key.Verify(bare, sig), "a version 2 signature is not one over the bare body")
	_, err = signature.Message(act, "", []byte(`{"grade":`))
	require.Error(t, err, "not JSON")
}
