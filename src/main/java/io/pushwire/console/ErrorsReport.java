package io.pushwire.console;

import io.pushwire.status.ErrorLog;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints {@code errors}: the media driver's own distinct error log (in its CnC file) and every process's
 * distinct error log ({@code <status dir>/*.err}): per process the distinct errors, and per error how many
 * times it happened, first and last time, and its text with the stack (cut to {@link #MAX_LINES} lines).
 * Reads the mapped files while the processes write them, as Aeron's ErrorStat does.
 */
final class ErrorsReport
{
    static final int MAX_LINES = 12;

    private final File statusDir;

    ErrorsReport(final File statusDir)
    {
        this.statusDir = statusDir;
    }

    /**
     * @param out where to print.
     * @param cnc the driver's CnC file, or null when no driver is running.
     * @return the number of distinct errors printed.
     */
    int print(final PrintStream out, final CncReader cnc)
    {
        int distinct = 0;
        if (null != cnc)
        {
            final List<String> lines = new ArrayList<>();
            cnc.readDriverErrors((count, first, last, text) -> lines.addAll(entry(count, first, last, text)));
            distinct += section(out, "driver (CnC error log)", lines);
        }
        final File[] files = statusDir.listFiles((dir, name) -> name.endsWith(ErrorLog.SUFFIX));
        if (null != files)
        {
            Arrays.sort(files, (a, b) -> StatusSample.compareNames(processName(a), processName(b)));
            for (final File file : files)
            {
                final List<String> lines = new ArrayList<>();
                try
                {
                    ErrorLog.read(file, (count, first, last, text) -> lines.addAll(entry(count, first, last, text)));
                }
                catch (final RuntimeException ex)
                {
                    lines.add("  cannot read " + file + ": " + ex.getMessage());
                }
                distinct += section(out, processName(file) + " (" + file + ")", lines);
            }
        }
        if (null == files || files.length == 0)
        {
            out.println("no process error logs in " + statusDir);
        }
        return distinct;
    }

    private static String processName(final File file)
    {
        final String name = file.getName();
        return name.substring(0, name.length() - ErrorLog.SUFFIX.length());
    }

    private static int section(final PrintStream out, final String title, final List<String> lines)
    {
        final int distinct = (int)lines.stream().filter((l) -> l.startsWith("  [")).count();
        out.println(title + ": " + (distinct == 0 ? "no errors" : distinct + " distinct error" + (distinct == 1 ? "" : "s")));
        lines.forEach(out::println);
        return distinct;
    }

    private static List<String> entry(final int count, final long firstMs, final long lastMs, final String text)
    {
        final List<String> lines = new ArrayList<>();
        lines.add("  [" + count + "x] first " + StatusReport.TIME.format(Instant.ofEpochMilli(firstMs)) +
            ", last " + StatusReport.TIME.format(Instant.ofEpochMilli(lastMs)) + " UTC");
        final List<String> textLines = text.lines().toList();
        for (int i = 0; i < Math.min(MAX_LINES, textLines.size()); i++)
        {
            lines.add("    " + textLines.get(i).replace("\t", "  "));
        }
        if (textLines.size() > MAX_LINES)
        {
            lines.add("    ... " + (textLines.size() - MAX_LINES) + " more lines");
        }
        return lines;
    }
}
