package eagle.ingest;

/**
 * Events per second over the last {@code seconds} complete wall-clock seconds: one bucket per
 * second in a ring, a bucket reused for a later second starts again from zero. Thread-safe (the
 * stream threads count, REST reads).
 */
final class RateWindow {

    private final int seconds;
    private final long[] bucketSecond;
    private final long[] bucketCount;

    RateWindow(int seconds) {
        this.seconds = seconds;
        this.bucketSecond = new long[seconds + 1];
        this.bucketCount = new long[seconds + 1];
        java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    }

    synchronized void add(long nowMillis, long n) {
        long second = Math.floorDiv(nowMillis, 1000);
        int i = (int) Math.floorMod(second, (long) bucketSecond.length);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            bucketCount[i] = 0;
        }
        bucketCount[i] += n;
    }

    /**
     * The mean rate over the {@code seconds} complete seconds before the one {@code nowMillis}
     * falls in.
     */
    synchronized double perSecond(long nowMillis) {
        long current = Math.floorDiv(nowMillis, 1000);
        long sum = 0;
        for (int i = 0; i < bucketSecond.length; i++) {
            long s = bucketSecond[i];
            if (s < current && s >= current - seconds) {
                sum += bucketCount[i];
            }
        }
        return (double) sum / seconds;
    }

    int seconds() {
        return seconds;
    }
}
