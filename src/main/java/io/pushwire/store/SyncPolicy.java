package io.pushwire.store;

import io.pushwire.config.ConfigurationException;

import java.util.Locale;

/**
 * When the store forces appended records from the page cache to the disk ({@code msync}).
 * <p>
 * What each survives (docs/dispatch.md has the measurements):
 * <ul>
 *   <li>{@link #NONE}: records are in the mapped file, so in the page cache, once appended. A crash of
 *   any process, {@code kill -9} included, loses nothing; a power loss or kernel panic loses what the
 *   kernel had not yet written back (up to {@code vm.dirty_expire_centisecs}, 30 s by default).</li>
 *   <li>{@link #PERIODIC}: as NONE, plus an {@code msync(MS_SYNC)} of the new bytes every sync
 *   interval, so a power loss loses at most the pushes accepted in the last interval.</li>
 *   <li>{@link #EVERY}: {@code msync(MS_SYNC)} after each append, before the push is answered
 *   {@code accepted}: an accepted push survives power loss. Costs a disk flush per push.</li>
 * </ul>
 */
public enum SyncPolicy
{
    NONE,
    PERIODIC,
    EVERY;

    /**
     * @param text {@code none}, {@code periodic} or {@code every} (any case).
     * @return the policy.
     * @throws ConfigurationException for any other text.
     */
    public static SyncPolicy parse(final String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT))
        {
            case "none" -> NONE;
            case "periodic" -> PERIODIC;
            case "every" -> EVERY;
            default -> throw new ConfigurationException(
                "pushwire.store.sync=" + text + " is not one of none, periodic, every");
        };
    }
}
