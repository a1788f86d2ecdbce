/*
 * The live kernel's side of `npm run bench`: the same operations as the
 * simulator's per-operation figures, timed with clock_gettime.
 *
 *   kernel-bench N PAIRS [ROUNDS]
 *
 * Builds N VMAs of 4 pages each, alternately r-- and rw- (so that no two
 * neighbours merge), with MAP_FIXED inside a PROT_NONE reservation that keeps
 * one guard page at each end. Then, ROUNDS times, for PAIRS VMAs chosen by
 * the same xorshift32 sequence as bench/ops.ts:
 *
 *   mprotect: mprotect the VMA's second page to the other protection (a split
 *             in three), then back (a merge of the three);
 *   munmap:   munmap the VMA's second page (a split in two), then mmap it
 *             again MAP_FIXED with the VMA's protection (a merge of the three).
 *
 * Prints one JSON line per round: nanoseconds per system call for each kind
 * (the mean over 2 * PAIRS calls), and the VMAs in /proc/self/maps after the
 * build. Never changes vm.max_map_count: it refuses an N that would not fit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PG 4096UL
#define VMA_PAGES 4UL
#define SEED 2463534242U

static uint32_t xs;

static uint32_t next_index(uint32_t n) {
	xs ^= xs << 13;
	xs ^= xs >> 17;
	xs ^= xs << 5;
	return xs % n;
}

static double now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long count_maps(void) {
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return -1;
	long lines = 0;
	int c;
	while ((c = getc(f)) != EOF)
		if (c == '\n') lines++;
	fclose(f);
	return lines;
}

static long max_map_count(void) {
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long v = -1;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1) v = -1;
		fclose(f);
	}
	return v;
}

static void die(const char *what, unsigned long i) {
	fprintf(stderr, "kernel-bench: %s (VMA %lu): %s\n", what, i, strerror(errno));
	exit(1);
}

static int prot_of(unsigned long i) {
	return (i % 2) ? (PROT_READ | PROT_WRITE) : PROT_READ;
}

static int other_prot(unsigned long i) {
	return (i % 2) ? PROT_READ : (PROT_READ | PROT_WRITE);
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: kernel-bench N PAIRS [ROUNDS]\n");
		return 2;
	}
	unsigned long n = strtoul(argv[1], NULL, 10);
	unsigned long pairs = strtoul(argv[2], NULL, 10);
	unsigned long rounds = argc > 3 ? strtoul(argv[3], NULL, 10) : 1;
	if (n == 0 || pairs == 0 || rounds == 0) {
		fprintf(stderr, "kernel-bench: N, PAIRS and ROUNDS must be positive\n");
		return 2;
	}
	long before = count_maps();
	long limit = max_map_count();
	/* The split in three adds two VMAs; the guards and the program's own mappings count too. */
	if (limit > 0 && before >= 0 && (long)n + before + 4 > limit) {
		fprintf(stderr, "kernel-bench: %lu VMAs do not fit under vm.max_map_count %ld (%ld in use)\n", n, limit, before);
		return 3;
	}

	size_t len = (n * VMA_PAGES + 2) * PG;
	char *res = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED) die("reserve", 0);
	char *base = res + PG;
	double t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		char *a = base + i * VMA_PAGES * PG;
		if (mmap(a, VMA_PAGES * PG, prot_of(i), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a) die("mmap", i);
	}
	double build_ms = (now_ns() - t0) / 1e6;
	long vmas = count_maps();

	for (unsigned long r = 0; r < rounds; r++) {
		xs = SEED;
		t0 = now_ns();
		for (unsigned long k = 0; k < pairs; k++) {
			unsigned long i = next_index((uint32_t)n);
			char *a = base + i * VMA_PAGES * PG + PG;
			if (mprotect(a, PG, other_prot(i))) die("mprotect split", i);
			if (mprotect(a, PG, prot_of(i))) die("mprotect merge", i);
		}
		double mprotect_ns = (now_ns() - t0) / (2.0 * pairs);

		xs = SEED;
		t0 = now_ns();
		for (unsigned long k = 0; k < pairs; k++) {
			unsigned long i = next_index((uint32_t)n);
			char *a = base + i * VMA_PAGES * PG + PG;
			if (munmap(a, PG)) die("munmap", i);
			if (mmap(a, PG, prot_of(i), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a) die("mmap refill", i);
		}
		double munmap_ns = (now_ns() - t0) / (2.0 * pairs);

		printf("{\"n\":%lu,\"pairs\":%lu,\"round\":%lu,\"mprotectNs\":%.1f,\"munmapNs\":%.1f,\"buildMs\":%.2f,\"vmasBefore\":%ld,\"vmasAfterBuild\":%ld,\"vmasAfterOps\":%ld}\n",
		       n, pairs, r, mprotect_ns, munmap_ns, build_ms, before, vmas, count_maps());
		fflush(stdout);
	}
	munmap(res, len);
	return 0;
}
