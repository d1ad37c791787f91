// Command ferretdb runs an embedded FerretDB (MongoDB wire protocol on top of
// PostgreSQL or SQLite) for Focus tests and local runs.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb`
// builds a binary that panics at start: that command expects a
// go:generate'd build/version/version.txt that is absent from the module zip.
// The embeddable package only checks the version files when the main module
// is FerretDB itself, so wrapping it in our own main package sidesteps that.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretdbModule = "github.com/FerretDB/FerretDB"

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "", "SQLite backend: directory for the database files (created if missing)")
	postgresqlURL := flag.String("postgresql-url", "", "PostgreSQL backend: connection URL, e.g. postgres://postgres@127.0.0.1:5433/postgres")
	debug := flag.Bool("debug", false, "log at debug level")
	flag.Parse()

	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	stampVersion()

	if err := run(logger, *listen, *dataDir, *postgresqlURL); err != nil {
		logger.Error("ferretdb failed", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

// stampVersion reports the real FerretDB version in buildInfo/serverStatus
// ("ferretdbVersion"): embedded, FerretDB leaves it "unknown" because it only
// reads its generated version files when it is the main module. The module
// version recorded by the Go toolchain is the truth, so it can't drift from go.mod.
func stampVersion() {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}

	for _, dep := range bi.Deps {
		if dep.Path == ferretdbModule {
			version.Get().Version = dep.Version
			return
		}
	}
}

func run(logger *slog.Logger, listen, dataDir, postgresqlURL string) error {
	if (dataDir == "") == (postgresqlURL == "") {
		return fmt.Errorf("exactly one of -data-dir (SQLite) and -postgresql-url (PostgreSQL) is required")
	}

	// Cancelling ctx is how FerretDB shuts down cleanly (closing listeners and
	// flushing SQLite), so SIGTERM from `infra down` must end up here.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   logger,
	}

	if postgresqlURL != "" {
		// Unlike SQLite, PostgreSQL runs filters on the simplest equalities itself (see
		// FerretDB's pushdown docs), instead of every document being decoded in Go.
		config.Handler = "postgresql"
		config.PostgreSQLURL = postgresqlURL
		logger.Info("ferretdb starting", slog.String("listen", listen), slog.String("backend", "postgresql"))
	} else {
		uri, err := sqliteURL(dataDir)
		if err != nil {
			return err
		}

		config.Handler = "sqlite"
		config.SQLiteURL = uri
		logger.Info("ferretdb starting", slog.String("listen", listen), slog.String("sqlite", uri))
	}

	// The embedded constructor already disables telemetry; there is no Config
	// field for it.
	f, err := ferretdb.New(config)
	if err != nil {
		return err
	}

	if err = f.Run(ctx); err != nil {
		return err
	}

	logger.Info("ferretdb stopped")

	return nil
}

// sqliteURL creates dataDir if needed and returns the SQLite backend's URL for it.
func sqliteURL(dataDir string) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", err
	}

	// The SQLite backend refuses a directory that does not exist yet.
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return "", err
	}

	// The backend wants a file: URI whose path ends with "/"; building it with
	// net/url escapes spaces and other odd characters in the path.
	// _txlock=immediate: FerretDB runs writes in transactions that read before they write;
	// two such deferred SQLite transactions fail the second one's lock upgrade with
	// SQLITE_BUSY at once (busy_timeout does not apply to it). Taking the write lock at
	// BEGIN makes concurrent writers wait their turn instead.
	// synchronous(normal): with WAL, commits no longer wait for an fsync each (durable across a
	// process crash, not a power cut): one update per transaction otherwise caps a bulk write
	// at the disk's fsync rate, ~50 documents a second on these machines.
	query := url.Values{"_txlock": {"immediate"}, "_pragma": {"synchronous(normal)"}}

	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/", RawQuery: query.Encode()}).String(), nil
}
