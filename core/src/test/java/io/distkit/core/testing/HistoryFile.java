package io.distkit.core.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only log of events, one per line, that several processes (child JVMs) can write and a test
 * reads back to check: how histories cross process boundaries. Each event is a list of fields without tabs or
 * newlines; every line is flushed at once, so a killed writer loses at most the event it was writing (a torn
 * last line is skipped on reading).
 */
public final class HistoryFile implements AutoCloseable {

  private final Path path;
  private final BufferedWriter out;
  private final ReentrantLock lock = new ReentrantLock();

  private HistoryFile(Path path) {
    this.path = path;
    try {
      this.out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open " + path, e);
    }
  }

  /**
   * Opens a log for appending (creating it if needed).
   *
   * @param path the file, shared by the writers of one history
   * @return the writer
   */
  public static HistoryFile append(Path path) {
    return new HistoryFile(path);
  }

  /**
   * Appends one event and flushes it.
   *
   * @param fields the event's fields, e.g. {@code "deliver", jobId}
   */
  public void record(String... fields) {
    StringBuilder line = new StringBuilder();
    for (String field : fields) {
      if (field.indexOf('\t') >= 0 || field.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("field (" + field + ") must not hold a tab or a newline");
      }
      if (line.length() > 0) {
        line.append('\t');
      }
      line.append(field);
    }
    line.append('\n');
    lock.lock();
    try {
      out.write(line.toString());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write to " + path, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every complete event of a log.
   *
   * @param path the file
   * @return the events in file order, each a list of fields
   */
  public static List<List<String>> read(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      List<List<String>> events = new ArrayList<>();
      int end = text.lastIndexOf('\n'); // anything after the last newline is a torn write
      if (end < 0) {
        return events;
      }
      for (String line : text.substring(0, end).split("\n", -1)) {
        if (!line.isEmpty()) {
          events.add(List.of(line.split("\t", -1)));
        }
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
