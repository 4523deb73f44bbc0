#!/usr/bin/python3
"""The M/M/k of engine-baselines.md on SimPy 2 (Debian python3-simpy 2.3.1).

Same model as main.go: Poisson arrivals at lambda, k servers of rate mu, one
FIFO queue, n customers, run until every one is served; a source process and
one process per customer that requests a server, holds it and releases it
(the SimPy 2 idiom). Python's random differs from Go's PCG, so statistics
agree only statistically. Prints the same key=value line as main.go.

    /usr/bin/python3 bench/mmk/simpy2_mmk.py -n 200000
"""

import argparse
import random
import resource
import time

from SimPy.Simulation import FIFO, Process, Resource, Simulation, hold, release, request


class Stats:
    def __init__(self):
        self.wait = 0.0
        self.sojourn = 0.0
        self.last = 0.0


class Customer(Process):
    def visit(self, server, service, stats):
        arrival = self.sim.now()
        yield request, self, server
        start = self.sim.now()
        stats.wait += start - arrival
        stats.sojourn += start - arrival + service
        yield hold, self, service
        stats.last = self.sim.now()
        yield release, self, server


class Source(Process):
    def generate(self, n, lam, mu, server, rng, stats):
        gap = rng.expovariate(lam)
        for i in range(n):
            yield hold, self, gap
            service = rng.expovariate(mu)
            c = Customer(sim=self.sim)
            self.sim.activate(c, c.visit(server, service, stats))
            if i < n - 1:
                gap = rng.expovariate(lam)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=200000, help="customers")
    p.add_argument("-k", type=int, default=10, help="servers")
    p.add_argument("-lambda", dest="lam", type=float, default=9.0, help="arrival rate")
    p.add_argument("-mu", type=float, default=1.0, help="service rate per server")
    p.add_argument("-seed", type=int, default=42)
    a = p.parse_args()
    rng = random.Random(a.seed)
    sim = Simulation()
    sim.initialize()
    server = Resource(capacity=a.k, qType=FIFO, monitored=False, sim=sim)
    stats = Stats()
    src = Source(sim=sim)
    sim.activate(src, src.generate(a.n, a.lam, a.mu, server, rng, stats))
    start = time.perf_counter()
    sim.simulate(until=1e18)
    wall = time.perf_counter() - start
    events = 2 * a.n
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("variant=simpy2 n=%d k=%d events=%d wall_s=%.4f events_per_s=%.0f mean_wait_s=%.9f "
          "mean_sojourn_s=%.9f end_s=%.6f allocs_per_customer=- gcs=- peak_rss_mib=%.1f"
          % (a.n, a.k, events, wall, events / wall, stats.wait / a.n, stats.sojourn / a.n, stats.last, rss))


if __name__ == "__main__":
    main()
