package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// checkTarget refuses a target that exists and is not a directory, and,
// unless force is set, a directory that holds anything. The error wraps
// [ErrNotEmpty] or [ErrWrite].
func checkTarget(dir string, force bool) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%w: %w", ErrWrite, err)
	case !info.IsDir():
		return fmt.Errorf("%w: %s exists and is not a directory", ErrWrite, dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	if len(entries) == 0 || force {
		return nil
	}
	var names []string
	for i, e := range entries {
		if i == 3 {
			names = append(names, "...")
			break
		}
		names = append(names, e.Name())
	}
	return fmt.Errorf("%w: %s holds %s; choose another directory or pass --force to overwrite the generated files",
		ErrNotEmpty, dir, strings.Join(names, ", "))
}

// writeProject writes files under dir. A directory that does not exist yet
// is filled under a temporary name beside it and renamed into place at the
// end, so a failure leaves nothing behind. In an existing directory (empty,
// or with --force) the files are written one by one, after checking that
// none of their paths is taken by a directory. The error wraps [ErrWrite].
func writeProject(dir string, files []file) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		parent := filepath.Dir(filepath.Clean(dir))
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
		tmp, err := os.MkdirTemp(parent, ".portcullis-new-")
		if err != nil {
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
		if err := writeFiles(tmp, files); err != nil {
			_ = os.RemoveAll(tmp) // best effort; the write error is the one to report
			return err
		}
		if err := os.Chmod(tmp, 0o755); err != nil {
			_ = os.RemoveAll(tmp)
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			_ = os.RemoveAll(tmp)
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
		return nil
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if info, err := os.Stat(target); err == nil && info.IsDir() {
			return fmt.Errorf("%w: %s is a directory; the project needs a file there", ErrWrite, target)
		}
	}
	return writeFiles(dir, files)
}

// writeFiles writes files under dir, creating subdirectories, in a stable
// order.
func writeFiles(dir string, files []file) error {
	sorted := append([]file(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, f := range sorted {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
		if err := os.WriteFile(target, f.Data, 0o644); err != nil {
			return fmt.Errorf("%w: %w", ErrWrite, err)
		}
	}
	return nil
}
