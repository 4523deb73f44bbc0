package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/sushisim/sushisim/experiments"
	"github.com/sushisim/sushisim/workloads"
)

// Where the pods see the results volume and the experiment file.
const (
	k8sResults    = "/results"
	k8sExperiment = "/experiment"
	// a ConfigMap holds at most 1 MiB (Kubernetes' etcd object limit)
	k8sConfigMapMax = 1 << 20
)

// k8sJob is what the Kubernetes manifests of one sweep are made from.
// Name is a DNS label; Tasks is the completions N (index I runs shard
// I+1/N); File and Out are paths in the pods, Out on the volume.
type k8sJob struct {
	shardJob
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
func (j *k8sJob) check() error {
	errs := j.shardJob.check()
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

func (j *k8sJob) metadata(b *strings.Builder, indent, name, component string) {
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
func (j *k8sJob) pod(b *strings.Builder, component, container string, command []string, experiment bool) {
	b.WriteString("  template:\n")
	j.metadata(b, "    ", "", component)
	b.WriteString("    spec:\n      restartPolicy: Never\n      containers:\n")
	fmt.Fprintf(b, "      - name: %s\n        image: %s\n        command:\n", container, yq(j.Image))
	for _, c := range command {
		fmt.Fprintf(b, "        - %s\n", yq(c))
	}
	fmt.Fprintf(b, "        resources:\n          requests:\n            cpu: %s\n            memory: %s\n", yq(fmt.Sprint(j.CPUs)), yq(j.Memory))
	fmt.Fprintf(b, "          limits:\n            memory: %s\n", yq(j.Memory))
	fmt.Fprintf(b, "        volumeMounts:\n        - name: results\n          mountPath: %s\n", k8sResults)
	if experiment {
		fmt.Fprintf(b, "        - name: experiment\n          mountPath: %s\n          readOnly: true\n", k8sExperiment)
	}
	fmt.Fprintf(b, "      volumes:\n      - name: results\n        persistentVolumeClaim:\n          claimName: %s\n", j.PVC)
	if experiment {
		fmt.Fprintf(b, "      - name: experiment\n        configMap:\n          name: %s-experiment\n", j.Name)
	}
}

// shardCommand is the shell line a shard pod runs: shard is a number, or
// the arithmetic that turns the 0-based completion index into one.
func (j *k8sJob) shardCommand(shard string) string {
	return j.runLine(j.Command, shard, fmt.Sprint(j.CPUs))
}

// manifest is the ConfigMap holding the experiment file (unless it comes
// with the image or the volume) and the Indexed Job: the pod with
// completion index I runs shard I+1 of N.
func (j *k8sJob) manifest() string {
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

// onlyManifest is a plain Job that runs shard k alone: to re-run an index
// that failed every retry (k = index + 1). It keeps the tasks already saved.
func (j *k8sJob) onlyManifest(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Shard %d/%d of sweep %q alone (completion index %d of job %s), written\n", k, j.Tasks, j.Experiment, k-1, j.Name)
	b.WriteString("# by 'sushisim k8s --only'; it keeps the tasks the shard already saved.\n")
	b.WriteString("apiVersion: batch/v1\nkind: Job\n")
	j.metadata(&b, "", fmt.Sprintf("%s-shard-%d", j.Name, k), "shard")
	fmt.Fprintf(&b, "spec:\n  backoffLimit: %d\n", j.Retries)
	j.pod(&b, "shard", "shard", []string{"/bin/sh", "-c", j.shardCommand(fmt.Sprint(k))}, j.ConfigKey != "")
	return b.String()
}

// mergeManifest is the Job that combines the shards into the result files.
func (j *k8sJob) mergeManifest() string {
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
func sideFiles(x *experiments.Experiment) []string {
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
		px := p.X
		if px == nil {
			px = x
		}
		c := px.Model.Catalog
		if strings.HasSuffix(strings.ToLower(c), ".csv") || strings.ContainsAny(c, `/\`) {
			add("model.catalog", c)
		}
		switch a := px.Workload.Arrival; a.Process {
		case workloads.ProcessTrace:
			add("workload.arrival.trace.path", a.Trace.Path)
		case workloads.ProcessAzure:
			add("workload.arrival.azure.path", a.Azure.Path)
		}
	}
	return out
}

func init() {
	var (
		flags              k8sJob
		name, expPath, out string
		merge              bool
		only               int
	)
	cmd := &cobra.Command{
		Use:   "k8s FILE",
		Short: "Write Kubernetes manifests that run a sweep as an Indexed Job",
		Long: `Write a Kubernetes manifest (to stdout, or -o FILE) that runs an experiment's
sweep as an Indexed Job of --tasks N pods: the pod with completion index I
($JOB_COMPLETION_INDEX, 0-based) runs 'sushisim run FILE --shard I+1/N --resume'
into /results/<name> on the PersistentVolumeClaim --pvc, which every pod mounts
(ReadWriteMany when pods may land on several nodes). The experiment file goes
in a ConfigMap of the same manifest, unless --experiment-path names it in the
image or on the volume (needed when it reads other files, such as a trace).
The image needs /bin/sh and sushisim on its PATH (or give --sushisim).

--merge writes instead the Job that merges the shards ('sushisim merge'); apply
it once the Indexed Job is complete. --only K writes a Job that runs shard K
alone, to re-run an index that failed all its retries (K = index + 1); it keeps
the tasks that shard already saved.`,
		Example: `  sushisim k8s sweep.toml --tasks 16 --image registry.example/sushisim:1.0 > job.yaml
  kubectl apply -f job.yaml
  kubectl wait --for=condition=complete --timeout=24h job/sushisim-sweep
  sushisim k8s sweep.toml --tasks 16 --image registry.example/sushisim:1.0 --merge | kubectl apply -f -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			x, err := experiments.Load(args[0])
			if err != nil {
				return err
			}
			j := flags
			j.Experiment, j.PlanTasks = x.Name, len(x.Tasks())
			base := jobName(x.Name, true, 43)
			j.Name = "sushisim-" + base
			if name != "" {
				j.Name = name
			}
			j.Out = path.Join(k8sResults, base)
			if !cmd.Flags().Changed("parallelism") {
				j.Parallelism = j.Tasks
			}
			if expPath != "" {
				j.File = expPath
			} else {
				if files := sideFiles(x); len(files) > 0 {
					return fmt.Errorf("the experiment reads other files (%s), which its ConfigMap cannot carry: "+
						"put them with the experiment file in the image or on the volume and give --experiment-path", strings.Join(files, ", "))
				}
				j.ConfigKey = configKey.ReplaceAllString(filepath.Base(args[0]), "-")
				j.File = path.Join(k8sExperiment, j.ConfigKey)
				j.Source = x.Source
			}
			if err := j.check(); err != nil {
				return err
			}
			if merge && only > 0 {
				return errors.New("--merge and --only: give one of them")
			}
			if only < 0 || only > j.Tasks {
				return fmt.Errorf("--only %d: want a shard from 1 to --tasks %d", only, j.Tasks)
			}
			if !merge && only == 0 {
				warnTasks(cmd.ErrOrStderr(), j.Tasks, j.PlanTasks, "pods")
			}
			text := j.manifest()
			switch {
			case merge:
				text = j.mergeManifest()
			case only > 0:
				text = j.onlyManifest(only)
			}
			if out == "" {
				_, err = fmt.Fprint(cmd.OutOrStdout(), text)
				return err
			}
			return os.WriteFile(out, []byte(text), 0o644)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&flags.Tasks, "tasks", "n", 0, "completions N (shards); each pod should run for tens of seconds")
	f.StringVar(&flags.Image, "image", "", "container image holding sushisim")
	f.StringVar(&flags.PVC, "pvc", "sushisim-results", "PersistentVolumeClaim for the results, mounted at "+k8sResults)
	f.IntVar(&flags.Parallelism, "parallelism", 0, "pods running at once (default: --tasks)")
	f.IntVarP(&flags.CPUs, "cpus", "c", 1, "CPUs each pod requests, and the workers each shard runs on")
	f.StringVar(&flags.Memory, "memory", "1Gi", "memory each pod requests (and its limit)")
	f.IntVar(&flags.Retries, "retries", 2, "retries of a failed index (backoffLimitPerIndex)")
	f.StringVar(&flags.Namespace, "namespace", "", "namespace of the objects (default: kubectl's)")
	f.StringVar(&name, "name", "", "name of the Job (default: sushisim-<experiment name>)")
	f.StringVar(&flags.Command, "sushisim", "sushisim", "sushisim executable in the image")
	f.StringVar(&expPath, "experiment-path", "", "the experiment file in the pods (default: from a ConfigMap, at "+k8sExperiment+"/<file name>)")
	f.BoolVar(&merge, "merge", false, "write the merge Job instead")
	f.IntVar(&only, "only", 0, "write a Job that runs only shard K (1..N), to re-run a failed index K-1")
	f.StringVarP(&out, "output", "o", "", "write the manifest to this file (default: stdout)")
	_ = cmd.MarkFlagRequired("tasks")
	_ = cmd.MarkFlagRequired("image")
	root.AddCommand(cmd)
}
