package io.pushwire.console;

import io.pushwire.config.Setting;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.LinkConfiguration;

import java.util.List;

/**
 * Settings of {@code pushwire console}. Each is also an option ({@code --ttl 60s}); in the interactive
 * mode an option on a line applies to that line only, over the value set at start.
 */
public final class ConsoleConfiguration
{
    public static final Setting STATUS_DIR = Setting.of(
        "pushwire.console.status.dir", "", "where the processes' error and latency logs are (default: pushwire.status.dir, " +
        "else 'status' beside the Aeron dir)");
    public static final Setting REMOTE = Setting.of(
        "pushwire.console.remote", "false", "send commands over pushwire.admin.remote.channel (signed with " +
        "pushwire.console.key) instead of local IPC");
    public static final Setting KEY = Setting.of(
        "pushwire.console.key", "", "operator key keyId:hexSecret that signs remote commands");
    public static final Setting TIMEOUT = Setting.of(
        "pushwire.console.timeout", "5s", "how long a command waits for its answer");
    public static final Setting INTERVAL = Setting.of(
        "pushwire.console.interval", "1s", "status: the sampling interval for rates (0 = no rates); top: the refresh interval");
    public static final Setting ITERATIONS = Setting.of(
        "pushwire.console.iterations", "0", "top: refreshes before it stops (0 = until Ctrl-C or end of input)");
    public static final Setting WINDOW = Setting.of(
        "pushwire.console.window", "60s", "latency: how far back the histograms are merged");
    public static final Setting TTL = Setting.of(
        "pushwire.console.ttl", "0", "push: time to live (0 = dispatch's default)");
    public static final Setting COLLAPSE = Setting.of(
        "pushwire.console.collapse", "", "push: collapse key (a newer message with the same key replaces an undelivered one)");
    public static final Setting PRIORITY = Setting.of(
        "pushwire.console.priority", "normal", "push: normal or high");
    public static final Setting APP = Setting.of(
        "pushwire.console.app", "0", "push: app id");
    public static final Setting RATE = Setting.of(
        "pushwire.console.rate", "100", "drain: connections a second the gateway moves off");

    private ConsoleConfiguration()
    {
    }

    /**
     * @return every setting the console reads, for {@code --help} and option parsing.
     */
    public static List<Setting> settings()
    {
        return List.of(
            LinkConfiguration.AERON_DIR,
            STATUS_DIR,
            REMOTE,
            KEY,
            AdminConfiguration.REMOTE_CHANNEL,
            AdminConfiguration.REMOTE_RESPONSE_CHANNEL,
            TIMEOUT,
            INTERVAL,
            ITERATIONS,
            WINDOW,
            TTL,
            COLLAPSE,
            PRIORITY,
            APP,
            RATE);
    }
}
