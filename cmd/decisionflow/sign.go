package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"decisionflow/signature"
)

// keygen makes a signing key pair: NAME.key (private, mode 0600) and NAME.pub (public, to
// register with POST /api/v1/keys), and prints the key ID.
func (m *Main) keygen(args []string) error {
	fs := flag.NewFlagSet("decisionflow keygen", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	alg := fs.String("alg", signature.Ed25519, "ed25519 or sm2")
	out := fs.String("out", "signing", "file name prefix: writes PREFIX.key and PREFIX.pub")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	priv, pub, err := signature.GenerateKey(*alg)
	if err != nil {
		fmt.Fprintf(m.Stderr, "decisionflow keygen: %v\n", err)
		return errUsage
	}
	if err := os.WriteFile(*out+".key", []byte(priv), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(*out+".pub", []byte(pub), 0o644); err != nil {
		return err
	}
	k, err := signature.ParsePublicKey(pub)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s key %s: private %s.key, public %s.pub\n", k.Algorithm, k.ID, *out, *out)
	return nil
}

// sign prints the Signature header for an act's JSON body (a file, or standard input):
// keyId="…", signature="…" over the body bound to the act's route and Idempotency-Key
// (signature.Message), so the signature stands for that act of that decision only.
func (m *Main) sign(args []string, stdin io.Reader) error {
	fs := flag.NewFlagSet("decisionflow sign", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	keyFile := fs.String("key", "signing.key", "private key file from decisionflow keygen")
	file := fs.String("file", "-", "the act's JSON body; - for standard input")
	act := fs.String("act", "", "the act's route, e.g. /api/v1/decisions/BD-2026-007/risk/1/risk-report (required)")
	nonce := fs.String("idempotency-key", "", "the Idempotency-Key the request will send")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *act == "" {
		fmt.Fprintln(m.Stderr, "usage: decisionflow sign --key F.key --act /api/v1/decisions/ID/…/ACT [--idempotency-key K] [--file act.json]")
		return errUsage
	}
	priv, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	pub, err := publicOf(*keyFile)
	if err != nil {
		return err
	}
	var body []byte
	if *file == "-" {
		body, err = io.ReadAll(stdin)
	} else {
		body, err = os.ReadFile(*file)
	}
	if err != nil {
		return err
	}
	msg, err := signature.Message(*act, *nonce, body)
	if err != nil {
		return err
	}
	sig, err := signature.Sign(string(priv), msg)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "keyId=%q, signature=%q\n", pub.ID, sig)
	return nil
}

// publicOf reads the public key written beside a private key by keygen.
func publicOf(keyFile string) (signature.PublicKey, error) {
	pubFile := keyFile[:len(keyFile)-len(".key")] + ".pub"
	b, err := os.ReadFile(pubFile)
	if err != nil {
		return signature.PublicKey{}, fmt.Errorf("public key %s: %w", pubFile, err)
	}
	return signature.ParsePublicKey(string(b))
}
