package io.pushwire.console;

import io.pushwire.config.ConfigurationException;
import io.pushwire.link.AdminConfiguration;
import io.pushwire.link.AdminSigner;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.status.StatusConfiguration;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.File;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a console session needs: where the box's Aeron directory and status files are, whether commands go
 * over the remote channel (and the key that signs them), the answer timeout, and where output goes.
 * Fluent setters; {@link #conclude()} fills what was not set from {@link ConsoleConfiguration} and
 * validates. Used on one thread.
 */
public final class ConsoleContext
{
    private String aeronDir;
    private File statusDir;
    private Boolean remote;
    private String remoteChannel;
    private String remoteResponseChannel;
    private AdminSigner signer;
    private long timeoutMs = -1;
    private PrintStream out;
    private EpochClock clock;
    private boolean concluded;

    public ConsoleContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        concluded = true;
        aeronDir = null == aeronDir ? LinkConfiguration.AERON_DIR.get() : aeronDir;
        if (null == statusDir)
        {
            final String configured = ConsoleConfiguration.STATUS_DIR.get().trim();
            statusDir = configured.isEmpty() ? StatusConfiguration.statusDir(aeronDir) : new File(configured);
        }
        remote = null == remote ? Boolean.valueOf(ConsoleConfiguration.REMOTE.getBoolean()) : remote;
        remoteChannel = null == remoteChannel ? AdminConfiguration.REMOTE_CHANNEL.get().trim() : remoteChannel;
        remoteResponseChannel = null == remoteResponseChannel ? AdminConfiguration.REMOTE_RESPONSE_CHANNEL.get().trim() : remoteResponseChannel;
        timeoutMs = timeoutMs < 0 ? TimeUnit.NANOSECONDS.toMillis(ConsoleConfiguration.TIMEOUT.getDurationNs(TimeUnit.SECONDS)) : timeoutMs;
        out = null == out ? System.out : out;
        clock = null == clock ? SystemEpochClock.INSTANCE : clock;
        if (null == signer && !ConsoleConfiguration.KEY.get().isBlank())
        {
            final Map<Integer, byte[]> keys = AdminConfiguration.parseKeys(ConsoleConfiguration.KEY.propertyName(), ConsoleConfiguration.KEY.get());
            if (keys.size() != 1)
            {
                throw new ConfigurationException(ConsoleConfiguration.KEY.propertyName() + " must be one keyId:hexSecret");
            }
            final Map.Entry<Integer, byte[]> key = keys.entrySet().iterator().next();
            signer = new AdminSigner(key.getKey(), key.getValue(), clock);
        }
        if (remote && (remoteChannel.isEmpty() || remoteResponseChannel.isEmpty()))
        {
            throw new ConfigurationException("a remote console needs " + AdminConfiguration.REMOTE_CHANNEL.propertyName() +
                " and " + AdminConfiguration.REMOTE_RESPONSE_CHANNEL.propertyName());
        }
        return this;
    }

    public ConsoleContext aeronDir(final String aeronDir)
    {
        this.aeronDir = aeronDir;
        return this;
    }

    public String aeronDir()
    {
        return aeronDir;
    }

    public ConsoleContext statusDir(final File statusDir)
    {
        this.statusDir = statusDir;
        return this;
    }

    public File statusDir()
    {
        return statusDir;
    }

    /**
     * @param remote true: commands go over the remote channel, signed.
     */
    public ConsoleContext remote(final boolean remote)
    {
        this.remote = remote;
        return this;
    }

    public boolean remote()
    {
        return remote;
    }

    public ConsoleContext remoteChannel(final String channel)
    {
        this.remoteChannel = channel;
        return this;
    }

    public String remoteChannel()
    {
        return remoteChannel;
    }

    public ConsoleContext remoteResponseChannel(final String channel)
    {
        this.remoteResponseChannel = channel;
        return this;
    }

    public String remoteResponseChannel()
    {
        return remoteResponseChannel;
    }

    /**
     * @param signer signs remote commands; null sends them unsigned (the box refuses them).
     */
    public ConsoleContext signer(final AdminSigner signer)
    {
        this.signer = signer;
        return this;
    }

    public AdminSigner signer()
    {
        return signer;
    }

    public ConsoleContext timeoutMs(final long timeoutMs)
    {
        this.timeoutMs = timeoutMs;
        return this;
    }

    public long timeoutMs()
    {
        return timeoutMs;
    }

    public ConsoleContext out(final PrintStream out)
    {
        this.out = out;
        return this;
    }

    public PrintStream out()
    {
        return out;
    }

    public ConsoleContext clock(final EpochClock clock)
    {
        this.clock = clock;
        return this;
    }

    public EpochClock clock()
    {
        return clock;
    }

    /**
     * @return the channel commands are published on: the remote channel, or the local link channel.
     */
    String commandChannel()
    {
        return remote ? remoteChannel : LinkConfiguration.publicationChannel();
    }

    /**
     * @return the channel answers are subscribed on.
     */
    String responseChannel()
    {
        return remote ? remoteResponseChannel : LinkConfiguration.subscriptionChannel();
    }

    /**
     * @return the signer for this session's commands: only remote commands are signed.
     */
    AdminSigner commandSigner()
    {
        return remote ? signer : null;
    }
}
