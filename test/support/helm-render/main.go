// helm-render renders a Helm chart the way `helm template` does, with the same engine: Go text/template, the Sprig v3
// function library and Helm's own functions (include, tpl, required, toYaml, fromYaml, toJson...). helm itself cannot
// be installed on the build machines, so the chart's tests render it with this. Usage:
//
//	helm-render --chart DIR [--name NAME] [--namespace NS] [-f values.yaml]... [--api-versions group/version]... [--kube-version v1.31.0] [--cluster objects.json] [--show-values|--show-notes]
//
// Output is `helm template`'s: documents separated by `---`, each headed by `# Source: <chart>/templates/<file>`.
// A failing template (fail, required) exits 1 with Helm's message format on stderr.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// VersionSet is .Capabilities.APIVersions: Helm's templates call its Has method.
type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type KubeVersion struct{ Version, Major, Minor, GitVersion string }

type Capabilities struct {
	APIVersions VersionSet
	KubeVersion KubeVersion
}

// The group versions every cluster serves (Helm's DefaultVersionSet, shortened to what charts ask about).
var defaultAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1", "networking.k8s.io/v1",
	"rbac.authorization.k8s.io/v1", "storage.k8s.io/v1", "apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1",
}

func main() {
	var valueFiles, apiVersions listFlag
	chartDir := flag.String("chart", "", "chart directory")
	name := flag.String("name", "release-name", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.31.0", "Kubernetes version of .Capabilities")
	flag.Var(&valueFiles, "f", "values file (repeatable; later ones win)")
	flag.Var(&apiVersions, "api-versions", "extra API version of .Capabilities (repeatable)")
	showValues := flag.Bool("show-values", false, "print the merged values as JSON instead of rendering (what helm checks values.schema.json against)")
	cluster := flag.String("cluster", "", "JSON file of objects `lookup` finds, as in a helm install or upgrade against a cluster (helm template finds none)")
	showNotes := flag.Bool("show-notes", false, "print the rendered NOTES.txt (what helm install prints) instead of the objects")
	flag.Parse()
	out, err := render(*chartDir, *name, *namespace, *kubeVersion, valueFiles, apiVersions, *showValues, *showNotes, *cluster)
	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s\n", err)
		os.Exit(1)
	}
	os.Stdout.WriteString(out)
}

func readYAML(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// coalesce merges override into base the way Helm merges values files: maps merge key by key, anything else is
// replaced, and a null in the override deletes the key.
func coalesce(base, override map[string]interface{}) map[string]interface{} {
	for k, v := range override {
		if v == nil {
			delete(base, k)
			continue
		}
		if bm, ok := base[k].(map[string]interface{}); ok {
			if om, ok := v.(map[string]interface{}); ok {
				base[k] = coalesce(bm, om)
				continue
			}
		}
		base[k] = v
	}
	return base
}

func viaJSON(v map[string]interface{}) (map[string]interface{}, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := map[string]interface{}{}
	return out, json.Unmarshal(data, &out)
}

// chartObject gives Chart.yaml's fields the capitalised names Helm's templates use (.Chart.AppVersion...).
func chartObject(meta map[string]interface{}) map[string]interface{} {
	out := map[string]interface{}{}
	for k, v := range meta {
		if k == "apiVersion" {
			out["APIVersion"] = v
			continue
		}
		out[strings.ToUpper(k[:1])+k[1:]] = v
	}
	return out
}

func toYAML(v interface{}) string {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// lookupIn answers Helm's lookup from a fixed set of objects: one object by name (empty map when absent), or a
// list ({items: [...]}) when name is empty.
func lookupIn(objects []map[string]interface{}) func(string, string, string, string) map[string]interface{} {
	return func(apiVersion, kind, namespace, name string) map[string]interface{} {
		var items []interface{}
		for _, o := range objects {
			meta, _ := o["metadata"].(map[string]interface{})
			ns, _ := meta["namespace"].(string)
			if o["apiVersion"] != apiVersion || o["kind"] != kind || (namespace != "" && ns != namespace) {
				continue
			}
			if name == "" {
				items = append(items, o)
			} else if meta["name"] == name {
				return o
			}
		}
		if name == "" {
			return map[string]interface{}{"items": items}
		}
		return map[string]interface{}{}
	}
}

func funcMap(t **template.Template, objects []map[string]interface{}) template.FuncMap {
	f := sprig.TxtFuncMap()
	// Helm removes these two so a chart cannot read the environment of whoever renders it.
	delete(f, "env")
	delete(f, "expandenv")
	f["toYaml"] = toYAML
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return v, fmt.Errorf(msg)
		}
		return v, nil
	}
	f["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := (*t).ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := (*t).Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = parsed.Execute(&buf, data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	f["lookup"] = lookupIn(objects)
	return f
}

func render(chartDir, name, namespace, kubeVersion string, valueFiles, apiVersions []string, showValues, showNotes bool, cluster string) (string, error) {
	meta, err := readYAML(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return "", err
	}
	chartName, _ := meta["name"].(string)
	values, err := readYAML(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return "", err
	}
	for _, file := range valueFiles {
		override, err := readYAML(file)
		if err != nil {
			return "", err
		}
		values = coalesce(values, override)
	}
	// Helm reads values through sigs.k8s.io/yaml, i.e. via JSON: every number is a float64 in the templates.
	if values, err = viaJSON(values); err != nil {
		return "", err
	}
	if showValues {
		data, err := json.Marshal(values)
		return string(data) + "\n", err
	}
	major, minor := "", ""
	if parts := strings.SplitN(strings.TrimPrefix(kubeVersion, "v"), ".", 3); len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	top := map[string]interface{}{
		"Values":  values,
		"Chart":   chartObject(meta),
		"Release": map[string]interface{}{"Name": name, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": Capabilities{
			APIVersions: append(VersionSet(defaultAPIVersions), apiVersions...),
			KubeVersion: KubeVersion{Version: kubeVersion, Major: major, Minor: minor, GitVersion: kubeVersion},
		},
		"Files": map[string]interface{}{},
	}
	paths, err := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	var objects []map[string]interface{}
	if cluster != "" {
		data, err := os.ReadFile(cluster)
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(data, &objects); err != nil {
			return "", fmt.Errorf("%s: %w", cluster, err)
		}
	}
	var t *template.Template
	t = template.New(chartName).Option("missingkey=zero").Funcs(funcMap(&t, objects))
	var outputs []string
	for _, path := range paths {
		base := filepath.Base(path)
		if !strings.HasSuffix(base, ".yaml") && !strings.HasSuffix(base, ".yml") && !strings.HasSuffix(base, ".tpl") && base != "NOTES.txt" {
			continue
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		tplName := chartName + "/templates/" + base
		if _, err := t.New(tplName).Parse(string(text)); err != nil {
			return "", fmt.Errorf("parse error in %s: %w", tplName, err)
		}
		// Partials (_*) only define named templates; NOTES.txt is printed by helm install, not rendered as objects.
		if showNotes == (base == "NOTES.txt") && !strings.HasPrefix(base, "_") {
			outputs = append(outputs, tplName)
		}
	}
	var out strings.Builder
	for _, tplName := range outputs {
		data := map[string]interface{}{}
		for k, v := range top {
			data[k] = v
		}
		data["Template"] = map[string]interface{}{"Name": tplName, "BasePath": chartName + "/templates"}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, tplName, data); err != nil {
			return "", fmt.Errorf("execution error at (%s", strings.TrimPrefix(err.Error(), "template: "))
		}
		body := strings.TrimSpace(strings.ReplaceAll(buf.String(), "<no value>", ""))
		if showNotes {
			out.WriteString(body + "\n")
			continue
		}
		for _, doc := range strings.Split(body, "\n---") {
			doc = strings.TrimSpace(strings.TrimPrefix(doc, "---"))
			if doc == "" {
				continue
			}
			fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", tplName, doc)
		}
	}
	return out.String(), nil
}
