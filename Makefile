# Convenience targets; CI runs .ci/run.
.PHONY: paper quickstart test

# The paper-style figures: experiments/paper/*.toml into results/paper/.
paper:
	scripts/paper.sh

quickstart:
	go run ./cmd/sushisim run experiments/quickstart.toml

test:
	go test ./...
