package io.fleetward.faults;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap bytes allocated by the daemon's request threads (Vert.x event loops and the worker pool) since
 * a start, in the test JVM, which is the daemon's under {@code @QuarkusTest}. The test's own HTTP
 * client threads are not counted. A thread that ended since the start is lost with what it allocated.
 */
final class DaemonAllocations {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> start;

    private DaemonAllocations(Map<Long, Long> start) {
        this.start = start;
    }

    static DaemonAllocations start() {
        return new DaemonAllocations(now());
    }

    /** Bytes allocated since {@link #start()}. */
    long since() {
        long total = 0;
        for (Map.Entry<Long, Long> thread : now().entrySet()) {
            total += thread.getValue() - start.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> now() {
        long[] ids = Arrays.stream(THREADS.getThreadInfo(THREADS.getAllThreadIds()))
                .filter(info -> info != null && isDaemonRequestThread(info))
                .mapToLong(ThreadInfo::getThreadId).toArray();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> allocated = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                allocated.put(ids[i], bytes[i]);
            }
        }
        return allocated;
    }

    private static boolean isDaemonRequestThread(ThreadInfo thread) {
        return thread.getThreadName().startsWith("vert.x-eventloop-thread-")
                || thread.getThreadName().startsWith("executor-thread-");
    }
}
