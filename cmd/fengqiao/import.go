package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"fengqiao/policy"
	"fengqiao/store"
)

// runImport imports a jurisdiction or a body CSV file into the database: all of it, or nothing with
// every bad line.
func runImport(ctx context.Context, logger *slog.Logger, cfg config, args []string) error {
	if len(args) != 2 || args[0] != "jurisdictions" && args[0] != "bodies" {
		return errors.New("usage: fengqiao import jurisdictions|bodies FILE.csv")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := store.Open(ctx, cfg.databaseDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "bodies" {
		return importBodies(ctx, logger, db, f, args[1])
	}
	nodes, err := db.ImportNodes(ctx, f)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		for _, l := range ie.Lines {
			fmt.Fprintf(os.Stderr, "%s:%d: %s\n", args[1], l.Line, l.Message)
		}
		return fmt.Errorf("%d bad rows in %s; nothing imported", len(ie.Lines), args[1])
	}
	if err := imported(ctx, db, err); err != nil {
		return err
	}
	logger.Info("jurisdictions imported", "file", args[1], "rows", len(nodes))
	return nil
}

// imported tells every running serve process, through the policy's change log, that the tree or its
// bodies changed, once an import has succeeded (err nil).
func imported(ctx context.Context, db *store.DB, err error) error {
	if err != nil {
		return err
	}
	pol, err := policy.New(ctx, db)
	if err != nil {
		return err
	}
	return pol.TreeChanged(ctx)
}

// importBodies imports a body file (code,name,type,node,fields,superior; fields separated by "|").
func importBodies(ctx context.Context, logger *slog.Logger, db *store.DB, f io.Reader, name string) error {
	bodies, err := db.ImportBodies(ctx, f, nil)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		for _, l := range ie.Lines {
			fmt.Fprintf(os.Stderr, "%s:%d: 第%d行 %s：%s\n", name, l.Line, l.Line, l.Field, l.Message)
		}
		return fmt.Errorf("%d 处错误，未导入任何机构 (%d problems in %s; nothing imported)", len(ie.Lines), len(ie.Lines), name)
	}
	if err := imported(ctx, db, err); err != nil {
		return err
	}
	logger.Info("bodies imported", "file", name, "rows", len(bodies))
	return nil
}
