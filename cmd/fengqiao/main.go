// Command fengqiao runs Fengqiao: `dev` for everything in one process on embedded defaults, `serve` and
// `worker` for the production processes, `migrate` and `version` for operators.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `fengqiao — petitions and disputes, the Fengqiao way

usage: fengqiao <command>

commands:
  dev       everything in one process on embedded defaults (Temporal, SQLite, worker, web server, demo data)
  serve     the web server only, against TEMPORAL_ADDRESS and DATABASE_URL
  worker    the Temporal worker only, against TEMPORAL_ADDRESS and DATABASE_URL
  migrate   apply database migrations and exit
  import jurisdictions FILE.csv
            import a jurisdiction tree (code,name,tier,parent_code): all rows or, if any is bad, none
  import bodies FILE.csv
            import bodies (code,name,type,node,fields,superior; fields separated by "|"): all rows or none
  verify    check the audit chain and that every case's projection matches its workflow
  cluster-setup
            register TEMPORAL_NAMESPACE and the case workflow's search attributes on the cluster at
            TEMPORAL_ADDRESS, waiting for its frontend (make cluster, docker compose)
  version   print the version

configuration is read from the environment; see README.md ("Configuration").
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var err error
	switch os.Args[1] {
	case "dev":
		err = runDev(ctx, logger, loadConfig(true))
	case "serve":
		err = runServe(ctx, logger, loadConfig(false))
	case "worker":
		err = runWorker(ctx, logger, loadConfig(false))
	case "migrate":
		err = runMigrate(ctx, logger, loadConfig(false))
	case "import":
		err = runImport(ctx, logger, loadConfig(false), os.Args[2:])
	case "verify":
		err = runVerify(ctx, logger, loadConfig(false))
	case "cluster-setup":
		err = runClusterSetup(ctx, logger, loadConfig(false))
	case "version":
		fmt.Println("fengqiao", version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "fengqiao: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("fengqiao stopped", "error", err)
		os.Exit(1)
	}
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("FENGQIAO_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}
