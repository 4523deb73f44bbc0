package execute

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sushisim/sushisim/experiments/config"
)

// Where the pods see the results volume and the experiment file.
const (
	K8sResults    = "/results"
	K8sExperiment = "/experiment"
	// a ConfigMap holds at most 1 MiB (Kubernetes' etcd object limit)
	k8sConfigMapMax = 1 << 20
)

// K8sJob is what the Kubernetes manifests of one sweep are made from.
// Name is a DNS label; Tasks is the completions N (index I runs shard
// I+1/N); File and Out are paths in the pods, Out on the volume.
type K8sJob struct {
	ShardJob
	Namespace   string // "": kubectl's current one
	Image       string
	Command     string // the sushisim executable in the image
	Parallelism int
	Retries     int // backoffLimitPerIndex
	Memory      string
	PVC         string
	ConfigKey   string // the file's key in the ConfigMap; "": the file comes with the image or the volume
	Source      []byte // the experiment file, for the ConfigMap
}

var (
	dnsLabel    = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	k8sQuantity = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$`)
	configKey   = regexp.MustCompile(`[^-._a-zA-Z0-9]+`)
)

// check validates the fields that come from flags; errors name the flag.
func (j *K8sJob) check() error {
	errs := j.ShardJob.check()
	if j.Parallelism < 1 {
		errs = append(errs, fmt.Errorf("--parallelism %d: want at least 1", j.Parallelism))
	}
	if j.Retries < 0 {
		errs = append(errs, fmt.Errorf("--retries %d: want 0 or more", j.Retries))
	}
	if !k8sQuantity.MatchString(j.Memory) {
		errs = append(errs, fmt.Errorf("--memory %q: want a Kubernetes quantity such as 512Mi or 2Gi", j.Memory))
	}
	if j.Image == "" || strings.ContainsFunc(j.Image, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		errs = append(errs, fmt.Errorf("--image %q: want an image reference without spaces, e.g. registry.example/sushisim:1.0", j.Image))
	}
	if j.Command == "" || strings.ContainsFunc(j.Command, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		errs = append(errs, fmt.Errorf("--sushisim %q: want the path of sushisim in the image", j.Command))
	}
	if len(j.Name) > 52 || !dnsLabel.MatchString(j.Name) {
		// pods of an Indexed Job are named <job>-<index>-<suffix>: leave room
		errs = append(errs, fmt.Errorf("--name %q: want at most 52 lower-case letters, digits and '-', starting and ending with a letter or digit", j.Name))
	}
	if j.Namespace != "" && (len(j.Namespace) > 63 || !dnsLabel.MatchString(j.Namespace)) {
		errs = append(errs, fmt.Errorf("--namespace %q: want a DNS label (lower-case letters, digits and '-')", j.Namespace))
	}
	if len(j.PVC) > 253 || !dnsLabel.MatchString(j.PVC) {
		errs = append(errs, fmt.Errorf("--pvc %q: want the name of a PersistentVolumeClaim (lower-case letters, digits and '-')", j.PVC))
	}
	if !path.IsAbs(j.File) || strings.ContainsFunc(j.File, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		errs = append(errs, fmt.Errorf("--experiment-path %q: want an absolute path in the container", j.File))
	}
	if j.ConfigKey != "" && len(j.Source) > k8sConfigMapMax {
		errs = append(errs, fmt.Errorf("the experiment file has %d bytes, more than a ConfigMap holds (%d): put it in the image or the volume and give --experiment-path", len(j.Source), k8sConfigMapMax))
	}
	return errors.Join(errs...)
}

// yq quotes s as a YAML scalar: a JSON string is a YAML double-quoted
// scalar, so any text is safe.
func yq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// yamlBlock writes text as the value of key at the given indent: a literal
// block when that keeps it byte for byte, else a quoted scalar.
func yamlBlock(b *strings.Builder, indent, key, text string) {
	plain := utf8.ValidString(text) && strings.HasSuffix(text, "\n") && !strings.HasSuffix(text, "\n\n") &&
		!strings.HasPrefix(text, " ") && !strings.HasPrefix(text, "\t") &&
		!strings.ContainsFunc(text, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f || r == 0xfeff })
	if !plain {
		fmt.Fprintf(b, "%s%s: %s\n", indent, key, yq(text))
		return
	}
	fmt.Fprintf(b, "%s%s: |\n", indent, key)
	for _, line := range strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.TrimRight(line, "\n") == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(indent + "  " + line)
	}
	b.WriteString("\n")
}

func (j *K8sJob) metadata(b *strings.Builder, indent, name, component string) {
	fmt.Fprintf(b, "%smetadata:\n", indent)
	if name != "" {
		fmt.Fprintf(b, "%s  name: %s\n", indent, name)
		if j.Namespace != "" {
			fmt.Fprintf(b, "%s  namespace: %s\n", indent, j.Namespace)
		}
	}
	fmt.Fprintf(b, "%s  labels:\n", indent)
	fmt.Fprintf(b, "%s    app.kubernetes.io/name: sushisim\n", indent)
	fmt.Fprintf(b, "%s    app.kubernetes.io/instance: %s\n", indent, j.Name)
	fmt.Fprintf(b, "%s    app.kubernetes.io/component: %s\n", indent, component)
}

// pod writes a Job's pod template running one container.
func (j *K8sJob) pod(b *strings.Builder, component, container string, command []string, experiment bool) {
	b.WriteString("  template:\n")
	j.metadata(b, "    ", "", component)
	b.WriteString("    spec:\n      restartPolicy: Never\n      containers:\n")
	fmt.Fprintf(b, "      - name: %s\n        image: %s\n        command:\n", container, yq(j.Image))
	for _, c := range command {
		fmt.Fprintf(b, "        - %s\n", yq(c))
	}
	fmt.Fprintf(b, "        resources:\n          requests:\n            cpu: %s\n            memory: %s\n", yq(fmt.Sprint(j.CPUs)), yq(j.Memory))
	fmt.Fprintf(b, "          limits:\n            memory: %s\n", yq(j.Memory))
	fmt.Fprintf(b, "        volumeMounts:\n        - name: results\n          mountPath: %s\n", K8sResults)
	if experiment {
		fmt.Fprintf(b, "        - name: experiment\n          mountPath: %s\n          readOnly: true\n", K8sExperiment)
	}
	fmt.Fprintf(b, "      volumes:\n      - name: results\n        persistentVolumeClaim:\n          claimName: %s\n", j.PVC)
	if experiment {
		fmt.Fprintf(b, "      - name: experiment\n        configMap:\n          name: %s-experiment\n", j.Name)
	}
}

// shardCommand is the shell line a shard pod runs: shard is a number, or
// the arithmetic that turns the 0-based completion index into one.
func (j *K8sJob) shardCommand(shard string) string {
	return j.runLine(j.Command, shard, fmt.Sprint(j.CPUs))
}

// Manifest is the ConfigMap holding the experiment file (unless it comes
// with the image or the volume) and the Indexed Job: the pod with
// completion index I runs shard I+1 of N.
func (j *K8sJob) Manifest() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Sweep %q as a Kubernetes Indexed Job, written by 'sushisim k8s'.\n", j.Experiment)
	fmt.Fprintf(&b, "# The pod with index I (0..%d) runs shard I+1/%d of the plan's %d tasks\n", j.Tasks-1, j.Tasks, j.PlanTasks)
	b.WriteString("# (points x replications), saving each task when it is done, into\n")
	fmt.Fprintf(&b, "# %s on the volume claim %s. Then merge:\n", j.Out, j.PVC)
	fmt.Fprintf(&b, "#   kubectl wait --for=condition=complete --timeout=24h job/%s\n", j.Name)
	b.WriteString("#   sushisim k8s ... --merge | kubectl apply -f -\n")
	if j.ConfigKey != "" {
		b.WriteString("apiVersion: v1\nkind: ConfigMap\n")
		j.metadata(&b, "", j.Name+"-experiment", "experiment")
		b.WriteString("data:\n")
		yamlBlock(&b, "  ", j.ConfigKey, string(j.Source))
		b.WriteString("---\n")
	}
	b.WriteString("apiVersion: batch/v1\nkind: Job\n")
	j.metadata(&b, "", j.Name, "shard")
	b.WriteString("spec:\n  completionMode: Indexed\n")
	fmt.Fprintf(&b, "  completions: %d\n  parallelism: %d\n", j.Tasks, j.Parallelism)
	b.WriteString("  # Kubernetes 1.29 or later: each index is retried on its own\n")
	fmt.Fprintf(&b, "  backoffLimitPerIndex: %d\n", j.Retries)
	j.pod(&b, "shard", "shard", []string{"/bin/sh", "-c", j.shardCommand("$((JOB_COMPLETION_INDEX + 1))")}, j.ConfigKey != "")
	return b.String()
}

// OnlyManifest is a plain Job that runs shard k alone: to re-run an index
// that failed every retry (k = index + 1). It keeps the tasks already saved.
func (j *K8sJob) OnlyManifest(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Shard %d/%d of sweep %q alone (completion index %d of job %s), written\n", k, j.Tasks, j.Experiment, k-1, j.Name)
	b.WriteString("# by 'sushisim k8s --only'; it keeps the tasks the shard already saved.\n")
	b.WriteString("apiVersion: batch/v1\nkind: Job\n")
	j.metadata(&b, "", fmt.Sprintf("%s-shard-%d", j.Name, k), "shard")
	fmt.Fprintf(&b, "spec:\n  backoffLimit: %d\n", j.Retries)
	j.pod(&b, "shard", "shard", []string{"/bin/sh", "-c", j.shardCommand(fmt.Sprint(k))}, j.ConfigKey != "")
	return b.String()
}

// MergeManifest is the Job that combines the shards into the result files.
func (j *K8sJob) MergeManifest() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Merge of sweep %q, written by 'sushisim k8s --merge'. Apply it once\n", j.Experiment)
	fmt.Fprintf(&b, "# job/%s is complete: it writes into %s\n", j.Name, j.Out)
	b.WriteString("# the same result files as one 'sushisim run' of the whole plan; while a\n# shard is missing it fails and its log names the shard.\n")
	b.WriteString("apiVersion: batch/v1\nkind: Job\n")
	j.metadata(&b, "", j.Name+"-merge", "merge")
	b.WriteString("spec:\n  backoffLimit: 0\n")
	j.pod(&b, "merge", "merge", []string{j.Command, "merge", j.Out}, false)
	return b.String()
}

// sideFiles lists the files an experiment reads besides itself: a
// ConfigMap holding only the experiment file cannot carry them.
func sideFiles(x *config.Experiment) []string {
	var out []string
	add := func(key, p string) {
		s := key + " = " + p
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, p := range x.Points {
		if config.IsCatalogFile(p.Model.Catalog) {
			add("model.catalog", p.Model.Catalog)
		}
		for _, f := range p.Workload.Files() {
			add("workload."+f.Key, f.Path)
		}
	}
	return out
}

// K8sOptions are the choices behind the Kubernetes Job of a sweep (the
// flags of 'sushisim k8s').
type K8sOptions struct {
	Tasks          int    // completions N (shards)
	CPUs           int    // CPUs each pod requests, and the workers of each shard
	Parallelism    int    // pods at once
	Retries        int    // backoffLimitPerIndex
	Memory         string // request and limit, a Kubernetes quantity
	Image          string
	Command        string // sushisim in the image
	PVC            string
	Namespace      string // "": kubectl's current one
	Name           string // the Job's name; "": sushisim-<experiment>
	ExperimentPath string // the file in the pods; "": from a ConfigMap
	Merge          bool   // the merge Job instead
	Only           int    // a Job running only this shard (1..N); 0: the Indexed Job
	Warn           io.Writer
}

// NewK8sJob makes the Kubernetes Job of experiment x, loaded from file,
// with every option checked (errors name the flag).
func NewK8sJob(x *config.Experiment, file string, o K8sOptions) (*K8sJob, error) {
	j := &K8sJob{Namespace: o.Namespace, Image: o.Image, Command: o.Command, Parallelism: o.Parallelism,
		Retries: o.Retries, Memory: o.Memory, PVC: o.PVC}
	j.Tasks, j.CPUs = o.Tasks, o.CPUs
	j.Experiment, j.PlanTasks = x.Name, len(Tasks(x))
	base := jobName(x.Name, true, 43)
	j.Name = "sushisim-" + base
	if o.Name != "" {
		j.Name = o.Name
	}
	j.Out = path.Join(K8sResults, base)
	if o.ExperimentPath != "" {
		j.File = o.ExperimentPath
	} else {
		if files := sideFiles(x); len(files) > 0 {
			return nil, fmt.Errorf("the experiment reads other files (%s), which its ConfigMap cannot carry: "+
				"put them with the experiment file in the image or on the volume and give --experiment-path", strings.Join(files, ", "))
		}
		j.ConfigKey = configKey.ReplaceAllString(filepath.Base(file), "-")
		j.File = path.Join(K8sExperiment, j.ConfigKey)
		j.Source = x.Source
	}
	if err := j.check(); err != nil {
		return nil, err
	}
	return j, nil
}

// K8sManifest is the manifest o asks for: the Indexed Job (with its
// ConfigMap), the merge Job (o.Merge) or a Job of one shard (o.Only).
func K8sManifest(x *config.Experiment, file string, o K8sOptions) (string, error) {
	j, err := NewK8sJob(x, file, o)
	if err != nil {
		return "", err
	}
	switch {
	case o.Merge && o.Only > 0:
		return "", errors.New("--merge and --only: give one of them")
	case o.Only < 0 || o.Only > j.Tasks:
		return "", fmt.Errorf("--only %d: want a shard from 1 to --tasks %d", o.Only, j.Tasks)
	case o.Merge:
		return j.MergeManifest(), nil
	case o.Only > 0:
		return j.OnlyManifest(o.Only), nil
	}
	if o.Warn != nil {
		warnTasks(o.Warn, j.Tasks, j.PlanTasks, "pods")
	}
	return j.Manifest(), nil
}
