package execute

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/sushisim/sushisim/experiments/config"
	"github.com/sushisim/sushisim/workloads"
)

const testExperiment = `# fig5
name = "fig5"

[sweep]
replications = 2
`

func testK8sJob() K8sJob {
	return K8sJob{
		ShardJob: ShardJob{Experiment: "fig5", Name: "sushisim-fig5", File: "/experiment/fig5.toml", Out: "/results/fig5",
			Tasks: 16, PlanTasks: 40, CPUs: 2},
		Namespace: "research", Image: "registry.example/sushisim:1.0", Command: "sushisim",
		Parallelism: 8, Retries: 2, Memory: "2Gi", PVC: "sushisim-results",
		ConfigKey: "fig5.toml", Source: []byte(testExperiment),
	}
}

// decode parses a multi-document manifest with a YAML parser.
func decode(t *testing.T, text string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	d := yaml.NewDecoder(strings.NewReader(text))
	for {
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			require.EqualError(t, err, "EOF")
			return docs
		}
		docs = append(docs, m)
	}
}

// at walks a decoded document: keys for maps, ints for lists.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "not a map at %v", p)
			v = m[k]
		case int:
			l, ok := v.([]any)
			require.True(t, ok, "not a list at %v", p)
			require.Less(t, k, len(l))
			v = l[k]
		}
	}
	return v
}

func TestK8sManifestsGolden(t *testing.T) {
	j := testK8sJob()
	require.NoError(t, j.check())
	golden(t, "k8s-job.golden", j.Manifest())
	golden(t, "k8s-merge.golden", j.MergeManifest())
	golden(t, "k8s-only.golden", j.OnlyManifest(3))
}

// What the Job controller and the pods read, checked through a YAML parser.
func TestK8sManifestParses(t *testing.T) {
	j := testK8sJob()
	docs := decode(t, j.Manifest())
	require.Len(t, docs, 2)
	cm, job := docs[0], docs[1]
	assert.Equal(t, "ConfigMap", cm["kind"])
	assert.Equal(t, testExperiment, at(t, cm, "data", "fig5.toml"), "the ConfigMap holds the file byte for byte")
	assert.Equal(t, "research", at(t, cm, "metadata", "namespace"))

	assert.Equal(t, "batch/v1", job["apiVersion"])
	assert.Equal(t, "Job", job["kind"])
	assert.Equal(t, "sushisim-fig5", at(t, job, "metadata", "name"))
	assert.Equal(t, "Indexed", at(t, job, "spec", "completionMode"))
	assert.Equal(t, 16, at(t, job, "spec", "completions"))
	assert.Equal(t, 8, at(t, job, "spec", "parallelism"))
	assert.Equal(t, 2, at(t, job, "spec", "backoffLimitPerIndex"))
	pod := at(t, job, "spec", "template", "spec")
	assert.Equal(t, "Never", at(t, pod, "restartPolicy"), "backoffLimitPerIndex needs restartPolicy Never")
	c := at(t, pod, "containers", 0)
	assert.Equal(t, "registry.example/sushisim:1.0", at(t, c, "image"))
	assert.Equal(t, "2", at(t, c, "resources", "requests", "cpu"))
	assert.Equal(t, "/results", at(t, c, "volumeMounts", 0, "mountPath"))
	assert.Equal(t, "results", at(t, c, "volumeMounts", 0, "name"))
	assert.Equal(t, "sushisim-results", at(t, pod, "volumes", 0, "persistentVolumeClaim", "claimName"))
	assert.Equal(t, "sushisim-fig5-experiment", at(t, pod, "volumes", 1, "configMap", "name"))
	assert.Equal(t, at(t, cm, "metadata", "name"), at(t, pod, "volumes", 1, "configMap", "name"))

	merge := decode(t, j.MergeManifest())
	require.Len(t, merge, 1)
	assert.Equal(t, []any{"sushisim", "merge", "/results/fig5"}, at(t, merge[0], "spec", "template", "spec", "containers", 0, "command"))
	assert.Nil(t, at(t, merge[0], "spec", "completionMode"))
}

// The shard pod's command, taken from the parsed manifest and run by a
// shell as the Job controller sets JOB_COMPLETION_INDEX, calls shard I+1.
func TestK8sShardCommand(t *testing.T) {
	dir := t.TempDir()
	bin, argsFile := fakeCommand(t, dir, "sushisim", "")
	j := testK8sJob()
	j.Command, j.Tasks, j.Out = bin, 4, "/results/my sweep"
	command := func(manifest string) []any {
		docs := decode(t, manifest)
		return at(t, docs[len(docs)-1], "spec", "template", "spec", "containers", 0, "command").([]any)
	}
	run := func(command []any, env ...string) []string {
		_ = os.Remove(argsFile)
		require.Len(t, command, 3)
		require.Equal(t, []any{"/bin/sh", "-c"}, command[:2])
		c := exec.Command("sh", "-c", command[2].(string))
		c.Env = append(os.Environ(), env...)
		out, err := c.CombinedOutput()
		require.NoError(t, err, string(out))
		got, err := os.ReadFile(argsFile)
		require.NoError(t, err)
		return strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	}
	want := func(k int) []string {
		return []string{"run", "/experiment/fig5.toml", "--shard", fmt.Sprintf("%d/4", k), "--out", "/results/my sweep", "--resume", "--workers", "2"}
	}
	for i := range 4 {
		assert.Equal(t, want(i+1), run(command(j.Manifest()), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i)))
	}
	assert.Equal(t, want(3), run(command(j.OnlyManifest(3))), "--only 3 runs shard 3 without an index")
}

// Any experiment file comes back from the ConfigMap byte for byte.
func TestYAMLBlockRoundTrip(t *testing.T) {
	for _, text := range []string{
		testExperiment,
		"a = 1\n\n\nb = 2\n",
		"  leading = \"space\"\n",
		"no final newline",
		"trailing blank lines\n\n\n",
		"crlf = 1\r\nb = 2\r\n",
		"tab\t= \"x\"\n# ünïcødé: µs\n",
		"bad utf8 \xff\n",
		"key: value # looks like YAML\n- [x]\n---\n...\n",
		"",
	} {
		var b strings.Builder
		b.WriteString("data:\n")
		yamlBlock(&b, "  ", "f.toml", text)
		b.WriteString("after: 1\n")
		var m map[string]any
		require.NoError(t, yaml.Unmarshal([]byte(b.String()), &m), b.String())
		if !strings.Contains(text, "\xff") {
			assert.Equal(t, text, at(t, m, "data", "f.toml"), "%q", text)
		}
		assert.Equal(t, 1, m["after"])
	}
	var b strings.Builder
	yamlBlock(&b, "", "k", testExperiment)
	assert.True(t, strings.HasPrefix(b.String(), "k: |\n  # fig5\n"), "a plain file stays readable: %s", b.String())
}

func TestK8sCheck(t *testing.T) {
	cases := []struct {
		edit func(*K8sJob)
		want string
	}{
		{func(j *K8sJob) { j.Tasks = 0 }, "--tasks 0"},
		{func(j *K8sJob) { j.Parallelism = 0 }, "--parallelism 0"},
		{func(j *K8sJob) { j.Retries = -1 }, "--retries -1"},
		{func(j *K8sJob) { j.CPUs = 0 }, "--cpus 0"},
		{func(j *K8sJob) { j.Memory = "2 GB" }, `--memory "2 GB"`},
		{func(j *K8sJob) { j.Image = "" }, "--image"},
		{func(j *K8sJob) { j.Image = "a b" }, "--image"},
		{func(j *K8sJob) { j.Name = "Sushi_Sim" }, "--name"},
		{func(j *K8sJob) { j.Name = strings.Repeat("a", 53) }, "--name"},
		{func(j *K8sJob) { j.Namespace = "-x" }, "--namespace"},
		{func(j *K8sJob) { j.PVC = "" }, "--pvc"},
		{func(j *K8sJob) { j.File = "fig5.toml" }, "--experiment-path"},
		{func(j *K8sJob) { j.Source = make([]byte, k8sConfigMapMax+1) }, "more than a ConfigMap holds"},
	}
	for _, c := range cases {
		j := testK8sJob()
		c.edit(&j)
		assert.ErrorContains(t, j.check(), c.want)
	}
	j := testK8sJob()
	j.Namespace, j.Name = "", strings.Repeat("a", 52)
	assert.NoError(t, j.check())
}

func TestSideFiles(t *testing.T) {
	x := &config.Experiment{}
	x.Model.Catalog = "reference"
	var p1, p2 config.Point
	p1.Model.Catalog = "data/subnets.csv"
	p1.Workload.Arrival.Process = workloads.ProcessTrace
	p1.Workload.Arrival.Trace.Path = "trace.csv"
	p2.Model.Catalog = "data/subnets.csv"
	p2.Workload.Arrival.Process = workloads.ProcessAzure
	p2.Workload.Arrival.Azure.Path = "/data/azure/d01.csv"
	x.Points = []config.Point{{Index: 0, Settings: x.Settings}, p1, p2}
	assert.Equal(t, []string{"model.catalog = data/subnets.csv", "workload.arrival.trace.path = trace.csv",
		"workload.arrival.azure.path = /data/azure/d01.csv"}, sideFiles(x))
	assert.Empty(t, sideFiles(&config.Experiment{Points: []config.Point{{}}}))
}

// The manifests K8sManifest writes: the Indexed Job with its ConfigMap,
// the merge Job, a Job of one shard, and the checks of --only.
func TestK8sManifestOptions(t *testing.T) {
	x, err := config.Load("testdata/distributed-tiny.toml")
	require.NoError(t, err)
	o := K8sOptions{Tasks: 3, CPUs: 1, Parallelism: 3, Retries: 2, Memory: "1Gi", Image: "img:1", Command: "sushisim", PVC: "sushisim-results"}
	var warn bytes.Buffer
	o.Warn = &warn
	text, err := K8sManifest(x, "testdata/distributed-tiny.toml", o)
	require.NoError(t, err)
	assert.Empty(t, warn.String())
	docs := decode(t, text)
	require.Len(t, docs, 2)
	src, err := os.ReadFile("testdata/distributed-tiny.toml")
	require.NoError(t, err)
	assert.Equal(t, string(src), at(t, docs[0], "data", "distributed-tiny.toml"))
	assert.Equal(t, "sushisim-tiny-sweep-3-rates", at(t, docs[1], "metadata", "name"))
	assert.Equal(t, 3, at(t, docs[1], "spec", "parallelism"))
	cmd := at(t, docs[1], "spec", "template", "spec", "containers", 0, "command", 2)
	assert.Equal(t, `exec sushisim run /experiment/distributed-tiny.toml --shard "$((JOB_COMPLETION_INDEX + 1))/3" --out /results/tiny-sweep-3-rates --resume --workers 1`, cmd)

	m := o
	m.Merge = true
	text, err = K8sManifest(x, "testdata/distributed-tiny.toml", m)
	require.NoError(t, err)
	assert.Equal(t, "sushisim-tiny-sweep-3-rates-merge", at(t, decode(t, text)[0], "metadata", "name"))

	m = o
	m.Only = 4
	_, err = K8sManifest(x, "testdata/distributed-tiny.toml", m)
	assert.ErrorContains(t, err, "--only 4")
	m.Only, m.Merge = 1, true
	_, err = K8sManifest(x, "testdata/distributed-tiny.toml", m)
	assert.ErrorContains(t, err, "--merge and --only")
	m = o
	m.Tasks, m.ExperimentPath = 9, "/data/x.toml"
	_, err = K8sManifest(x, "testdata/distributed-tiny.toml", m)
	require.NoError(t, err)
	assert.Contains(t, warn.String(), "3 pods will have nothing to run")
}
