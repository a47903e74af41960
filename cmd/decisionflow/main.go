// Command decisionflow runs the statutory procedure of major administrative decisions.
//
// Usage:
//
//	decisionflow dev      [flags]   everything in one process on embedded defaults
//	decisionflow serve    [flags]   API and worker against a Temporal cluster and Postgres
//	decisionflow api      [flags]   API only
//	decisionflow worker   [flags]   worker only
//	decisionflow migrate  up|status [flags]
//	decisionflow token    --user ID [flags]
//	decisionflow version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"decisionflow/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `decisionflow — 重大行政决策程序引擎 / major administrative decision procedure engine

Usage:
  decisionflow dev      [flags]        run everything in one process (embedded Temporal, SQLite)
  decisionflow serve    [flags]        API and worker against a Temporal cluster and Postgres
  decisionflow api      [flags]        API only
  decisionflow worker   [flags]        worker only
  decisionflow migrate  up|status      apply or show database migrations
  decisionflow token    --user ID      print a bearer token (demo users: decisionflow token --list)
  decisionflow keygen   [--alg sm2]    make a signing key pair (Ed25519 by default)
  decisionflow sign     --key F.key --act ROUTE   print the Signature header binding an act's body to its act
  decisionflow audit    keygen|verify  make the ledger key; check that the ledger only grew
  decisionflow dossier  export|verify  download a decision's dossier; verify one offline
  decisionflow replay   ID | --dossier F   replay a decision's histories against this code
  decisionflow calendar due --from D (--working-days N | --days N)   a due date with its explanation
  decisionflow health   [--addr :8080]   exit 0 when the process there is ready (container health check)
  decisionflow openapi                 print the API's OpenAPI document (no server needed)
  decisionflow version                 print the version

Run "decisionflow COMMAND -h" for a command's flags; every flag has an environment variable.
`

// Main is the whole program; tests run it end to end.
type Main struct {
	// Stdin is read by commands that take input (sign).
	Stdin io.Reader
	// Stdout receives what the user asked for (URLs, status tables).
	Stdout io.Writer
	// Stderr receives logs and errors.
	Stderr io.Writer
	// Environ is the environment the settings are read from.
	Environ map[string]string
	// Ready, if set, is called once the process serves, with the HTTP address it listens on.
	Ready func(httpAddr string)
}

// ExitCode is the process exit status for err: 0 for none or help, 2 for bad usage or
// configuration, 1 for everything else.
func ExitCode(err error) int {
	var cfgErr *config.Error
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &cfgErr), errors.Is(err, errUsage):
		return 2
	}
	return 1
}

var errUsage = errors.New("usage")

// parseFlags parses a command's flags: -h prints the flags and exits 0 (flag.ErrHelp), a bad
// flag is a usage error (2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return err
	}
	return errUsage
}

// Run runs the command in args (without the program name) until it finishes or ctx ends.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev", "serve", "api", "worker":
		cfg, _, err := m.load(cmd, rest)
		if err != nil {
			return err
		}
		return m.runProcess(ctx, cmd, cfg)
	case "migrate":
		return m.migrate(ctx, rest)
	case "token":
		return m.token(rest)
	case "keygen":
		return m.keygen(rest)
	case "audit":
		return m.auditCmd(rest)
	case "dossier":
		return m.dossierCmd(rest)
	case "replay":
		return m.replay(rest)
	case "calendar":
		return m.calendarCmd(rest)
	case "sign":
		return m.sign(rest, m.Stdin)
	case "health":
		return m.health(ctx, rest)
	case "openapi":
		return m.openapi(rest)
	case "version":
		fmt.Fprintln(m.Stdout, "decisionflow", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprintf(m.Stderr, "decisionflow: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// load reads the configuration of cmd and reports a bad setting in one line.
func (m *Main) load(cmd string, args []string, extra ...func(*flag.FlagSet)) (config.Config, []string, error) {
	var help strings.Builder
	cfg, rest, err := config.Load(cmd, args, m.Environ, &help, extra...)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(m.Stdout, help.String())
	case err != nil:
		fmt.Fprintf(m.Stderr, "decisionflow %s: %v\n", cmd, err)
	}
	return cfg, rest, err
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Environ: environ()}
	err := m.Run(ctx, os.Args[1:])
	var cfgErr *config.Error
	if err != nil && !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errUsage) && !errors.As(err, &cfgErr) {
		fmt.Fprintf(os.Stderr, "decisionflow: %v\n", err)
	}
	os.Exit(ExitCode(err))
}

func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
