// Package devserver runs a complete Temporal server inside the decisionflow process, persisted
// to a SQLite file, for `decisionflow dev` and end-to-end tests. Production uses a Temporal
// cluster instead.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"google.golang.org/protobuf/types/known/durationpb"
)

// DatabaseFile is the name of the server's SQLite file inside the data directory.
const DatabaseFile = "temporal.db"

const clusterName = "active"

// Options configures the embedded server.
type Options struct {
	// DataDir holds the SQLite file; it is created if missing.
	DataDir string
	// Listen is the frontend's host:port; port 0 picks a free port.
	Listen string
	// Namespace is registered on first start.
	Namespace string
	// Retention is how long closed workflow histories are kept in Namespace.
	Retention time.Duration
	// Logger receives the server's logs; its handler's level filters them.
	Logger *slog.Logger
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	hostPort string
	lock     *os.File
}

// Start creates the schema and the namespace on first use, then starts every server role
// (frontend, history, matching, worker) in this process. It returns once the frontend listens.
func Start(opts Options) (*Server, error) {
	if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	lock, err := lockDataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	s, err := start(opts)
	if err != nil {
		lock.Close()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

func start(opts Options) (*Server, error) {
	host, port, err := frontendAddress(opts.Listen)
	if err != nil {
		return nil, err
	}
	cfg, err := serverConfig(filepath.Join(opts.DataDir, DatabaseFile), host, port)
	if err != nil {
		return nil, err
	}
	sqlCfg := cfg.Persistence.DataStores[sqliteplugin.PluginName].SQL
	if err := prepareDatabase(sqlCfg, opts.Namespace, opts.Retention); err != nil {
		return nil, err
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(newLogger(opts.Logger)),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{}),
	)
	if err != nil {
		return nil, fmt.Errorf("create temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	return &Server{srv: srv, hostPort: net.JoinHostPort(host, strconv.Itoa(port))}, nil
}

// HostPort is the frontend address clients dial.
func (s *Server) HostPort() string { return s.hostPort }

// Stop shuts every server role down.
func (s *Server) Stop(ctx context.Context) error {
	defer s.lock.Close()
	done := make(chan error, 1)
	go func() { done <- s.srv.Stop() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("stop temporal server: %w", ctx.Err())
	}
}

// prepareDatabase creates the schema in a new file and registers the namespace if missing.
func prepareDatabase(sqlCfg *config.SQL, namespace string, retention time.Duration) error {
	if _, err := os.Stat(sqlCfg.DatabaseName); errors.Is(err, os.ErrNotExist) {
		if err := sqlite.SetupSchema(sqlCfg); err != nil {
			// A half-made file would be taken for a complete one at the next start.
			_ = os.Remove(sqlCfg.DatabaseName)
			return fmt.Errorf("create temporal schema: %w", err)
		}
	} else if err := forgetMembers(sqlCfg.DatabaseName); err != nil {
		return err
	}
	ns, err := sqlite.NewNamespaceConfig(clusterName, namespace, false, nil)
	if err != nil {
		return fmt.Errorf("namespace %s: %w", namespace, err)
	}
	ns.Detail.Config.Retention = durationpb.New(retention)
	if err := sqlite.CreateNamespaces(sqlCfg, ns); err != nil {
		return fmt.Errorf("register namespace %s: %w", namespace, err)
	}
	return nil
}

func frontendAddress(listen string) (string, int, error) {
	host, portText, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, fmt.Errorf("frontend address %q: %w", listen, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return "", 0, fmt.Errorf("frontend port %q: %w", portText, err)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if port == 0 {
		ports, err := freePorts(host, 1, 0)
		if err != nil {
			return "", 0, err
		}
		port = ports[0]
	}
	return host, port, nil
}
