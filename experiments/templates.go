package experiments

import (
	"embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed templates/*.toml
var templates embed.FS

// TemplateNames lists the starter files `sushisim init` can write.
func TemplateNames() []string {
	ents, _ := templates.ReadDir("templates")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	slices.Sort(out)
	return out
}

// Template is the annotated starter file of that name.
func Template(name string) ([]byte, error) {
	b, err := templates.ReadFile("templates/" + name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("template %q unknown (known: %s)", name, strings.Join(TemplateNames(), ", "))
	}
	return b, nil
}
