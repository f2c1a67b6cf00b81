package io.fleetward.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class LogPageTest {
    @TempDir
    Path dir;

    @Test
    void pagesHoldWholeLinesEachOnceAndTheLastIsShownFirst() throws IOException {
        String log = IntStream.range(0, 500).mapToObj(i -> "line " + i + " " + "x".repeat(i % 37) + "\n")
                .collect(Collectors.joining());
        Path file = Files.writeString(dir.resolve("log"), log);
        LogPage last = LogPage.read(file, null, 1024);
        assertThat(last.pages()).isEqualTo((log.length() + 1023) / 1024);
        assertThat(last.number()).isEqualTo(last.pages() - 1);
        assertThat(last.end()).isEqualTo(log.length());
        assertThat(last.hasNext()).isFalse();
        StringBuilder all = new StringBuilder();
        for (int page = 0; page < last.pages(); page++) {
            LogPage p = LogPage.read(file, page, 1024);
            assertThat(p.text()).satisfiesAnyOf(t -> assertThat(t).isEmpty(), t -> assertThat(t).endsWith("\n"));
            assertThat(p.text()).doesNotStartWith("x");
            all.append(p.text());
        }
        assertThat(all.toString()).isEqualTo(log);
        assertThat(LogPage.read(file, 10_000, 1024).number()).isEqualTo(last.number());
    }

    static Stream<Arguments> logText() {
        return Stream.of(
                argumentSet("colour", "\u001B[1;31merror:\u001B[0m build failed", "error: build failed"),
                argumentSet("window title", "\u001B]0;building\u0007done", "done"),
                argumentSet("carriage return", "50%\r100%", "50%100%"),
                argumentSet("html stays text (the template escapes it)", "<b>not bold</b>", "<b>not bold</b>"),
                argumentSet("tab and newline stay", "a\tb\n", "a\tb\n"));
    }

    @ParameterizedTest
    @MethodSource("logText")
    void ansiAndControlCharactersAreStripped(String raw, String shown) {
        assertThat(AnsiText.strip(raw)).isEqualTo(shown);
    }
}
