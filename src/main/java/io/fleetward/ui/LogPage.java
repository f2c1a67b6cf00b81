package io.fleetward.ui;

import io.quarkus.qute.TemplateData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One page of a deployment's log file: pages are {@code pageBytes} long from the start of the file,
 * the last one shown unless another is asked for, so a long log is never loaded whole. A page
 * starts after the first newline in it (the line cut by the page edge is on the page before), and
 * its text is {@link AnsiText#strip stripped}.
 *
 * @param number    the page, from 0
 * @param pages     how many pages the file has now (at least 1)
 * @param end       the file offset this page ends at: a live follow of the last page starts there
 */
@TemplateData
public record LogPage(String text, int number, int pages, long end) {

    /** The page number as people count, from 1. */
    public int displayNumber() {
        return number + 1;
    }

    public boolean hasPrevious() {
        return number > 0;
    }

    public boolean hasNext() {
        return number < pages - 1;
    }

    public int previous() {
        return number - 1;
    }

    public int next() {
        return number + 1;
    }

    /** A line cut by a page edge is finished on its page if it ends within this many more bytes. */
    static final int LINE_SLACK = 16 * 1024;

    /**
     * Page {@code requested} (or the last one when null or out of range) of {@code file}. Page n holds
     * the lines that start in bytes [n * pageBytes, (n + 1) * pageBytes); page 0 starts at byte 0.
     */
    static LogPage read(Path file, Integer requested, int pageBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int pages = (int) Math.max(1, (size + pageBytes - 1) / pageBytes);
            int number = requested == null || requested >= pages || requested < 0 ? pages - 1 : requested;
            long start = (long) number * pageBytes;
            long stop = Math.min(size, start + pageBytes + LINE_SLACK);
            ByteBuffer bytes = ByteBuffer.allocate((int) (stop - start));
            while (bytes.hasRemaining() && channel.read(bytes, start + bytes.position()) > 0) {
                // read the whole page and its slack
            }
            byte[] page = bytes.array();
            int length = bytes.position();
            int from = 0;
            if (number > 0) { // the line running into this page was shown on the one before
                while (from < length && page[from] != '\n') {
                    from++;
                }
                from = Math.min(length, from + 1);
            }
            int to = length;
            if (start + pageBytes < size) { // the next page's lines start after the first newline past the edge
                to = pageBytes;
                while (to < length && page[to] != '\n') {
                    to++;
                }
                to = Math.min(length, to + 1);
            }
            String text = new String(page, from, Math.max(0, to - from), StandardCharsets.UTF_8);
            return new LogPage(AnsiText.strip(text), number, pages, start + to);
        }
    }

    /** A page made of the log tail kept in the database, when the file is gone. */
    static LogPage ofTail(String tail) {
        return new LogPage(AnsiText.strip(tail == null ? "" : tail), 0, 1, -1);
    }
}
