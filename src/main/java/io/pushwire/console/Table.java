package io.pushwire.console;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns: text left-aligned, numbers (cells that start with a digit, a
 * sign or are "-") right-aligned, two spaces between columns. Built and printed on one thread.
 */
final class Table
{
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(final String... headers)
    {
        columns = headers.length;
        rows.add(headers);
    }

    Table row(final Object... cells)
    {
        if (cells.length != columns)
        {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + columns + " columns");
        }
        final String[] row = new String[columns];
        for (int i = 0; i < columns; i++)
        {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    int size()
    {
        return rows.size() - 1;
    }

    void print(final PrintStream out, final String indent)
    {
        final int[] widths = new int[columns];
        final boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++)
        {
            numeric[c] = rows.size() > 1;
        }
        for (int r = 0; r < rows.size(); r++)
        {
            final String[] row = rows.get(r);
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.max(widths[c], row[c].length());
                if (r > 0 && !isNumber(row[c]))
                {
                    numeric[c] = false;
                }
            }
        }
        final StringBuilder sb = new StringBuilder(128);
        for (final String[] row : rows)
        {
            sb.setLength(0);
            sb.append(indent);
            for (int c = 0; c < columns; c++)
            {
                final String cell = row[c];
                final int pad = widths[c] - cell.length();
                if (numeric[c])
                {
                    sb.repeat(' ', pad).append(cell);
                }
                else
                {
                    sb.append(cell);
                    if (c < columns - 1)
                    {
                        sb.repeat(' ', pad);
                    }
                }
                if (c < columns - 1)
                {
                    sb.append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static boolean isNumber(final String cell)
    {
        if (cell.isEmpty() || "-".equals(cell))
        {
            return true;
        }
        final char first = cell.charAt(0);
        return Character.isDigit(first) || ((first == '+' || first == '-') && cell.length() > 1 && Character.isDigit(cell.charAt(1)));
    }
}
