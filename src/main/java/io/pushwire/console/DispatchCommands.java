package io.pushwire.console;

import io.aeron.Aeron;
import io.pushwire.link.ConnectionId;
import io.pushwire.sender.PushClient;
import io.pushwire.sender.PushException;
import io.pushwire.sender.PushRequest;
import io.pushwire.sender.Receipt;
import io.pushwire.sender.Who;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The console commands served by dispatch over the command stream, through the sender API
 * ({@link PushClient}): {@code push}, {@code receipt}, {@code who}, {@code kick}. Remote sessions sign every
 * command ({@code AdminSigner}) and read answers on the remote response channel. A refused or failed
 * command prints dispatch's ERROR and exits 1.
 */
final class DispatchCommands implements AutoCloseable
{
    private final ConsoleContext ctx;
    private final Supplier<Aeron> aeron;
    private PushClient client;

    DispatchCommands(final ConsoleContext ctx, final Supplier<Aeron> aeron)
    {
        this.ctx = ctx;
        this.aeron = aeron;
    }

    int execute(final ConsoleArgs args)
    {
        final PrintStream out = ctx.out();
        try
        {
            return switch (args.command())
            {
                case "push" -> push(args, out);
                case "receipt" -> receipt(args, out);
                case "who" -> who(args, out);
                default -> kick(args, out);
            };
        }
        catch (final PushException ex)
        {
            out.println(args.command() + ": " + ex.getMessage());
            return 1;
        }
    }

    private PushClient client()
    {
        if (null == client)
        {
            client = PushClient.connect(aeron.get(), ctx.commandChannel(), ctx.responseChannel(), ctx.commandSigner());
        }
        client.awaitConnected(Duration.ofMillis(ctx.timeoutMs()));
        return client;
    }

    private int push(final ConsoleArgs args, final PrintStream out)
    {
        final List<String> a = args.arguments();
        final PushRequest request;
        final String payload;
        if (a.size() == 2 && "all".equals(a.get(0)))
        {
            request = PushRequest.broadcast();
            payload = a.get(1);
        }
        else if (a.size() == 3)
        {
            request = switch (a.get(0))
            {
                case "device" -> PushRequest.toDevice(a.get(1));
                case "alias" -> PushRequest.toAlias(a.get(1));
                case "topic" -> PushRequest.toTopic(a.get(1));
                default -> throw new IllegalArgumentException("push device|alias|topic <target> <payload>, or push all <payload>");
            };
            payload = a.get(2);
        }
        else
        {
            throw new IllegalArgumentException("push device|alias|topic <target> <payload>, or push all <payload>");
        }
        final int priority = switch (args.option(ConsoleConfiguration.PRIORITY).trim())
        {
            case "normal", "0" -> 0;
            case "high", "1" -> 1;
            default -> throw new IllegalArgumentException("--priority is normal or high");
        };
        request.payload(payload)
            .ttlMs(args.optionDurationMs(ConsoleConfiguration.TTL))
            .priority(priority)
            .appId((int)args.optionLong(ConsoleConfiguration.APP));
        final String collapse = args.option(ConsoleConfiguration.COLLAPSE);
        if (!collapse.isEmpty())
        {
            request.collapseKey(collapse);
        }
        final long messageId = client().push(request, Duration.ofMillis(ctx.timeoutMs()));
        out.println("accepted: message " + messageId + " (stored; receipt " + messageId + " shows its delivery)");
        return 0;
    }

    private int receipt(final ConsoleArgs args, final PrintStream out)
    {
        if (args.arguments().size() != 1)
        {
            throw new IllegalArgumentException("receipt <messageId>");
        }
        final long messageId = parseLong("message id", args.arguments().get(0));
        final Receipt receipt = client().receipt(messageId);
        final Table table = new Table("MESSAGE", "TARGETS", "DELIVERED", "PENDING", "EXPIRED");
        table.row(receipt.messageId(), receipt.targets(), receipt.delivered(), receipt.pending(), receipt.expired());
        table.print(out, "");
        return 0;
    }

    private int who(final ConsoleArgs args, final PrintStream out)
    {
        final String deviceId = device(args, "who <deviceId>");
        final Who who = client().who(deviceId);
        if (who.online())
        {
            out.println(deviceId + ": online on gateway-" + who.gatewayId() + " reactor " + ConnectionId.reactor(who.connectionId()) +
                " since " + StatusReport.TIME.format(Instant.ofEpochMilli(who.sinceMs())) + " UTC (" +
                StatusReport.uptime(ctx.clock().time() - who.sinceMs()) + "), heartbeat every " + who.heartbeatSec() + " s");
        }
        else
        {
            out.println(deviceId + ": offline");
        }
        final Table table = new Table("STREAM", "HEAD", "ACKED", "UNACKED");
        for (final Who.StreamState stream : who.streams())
        {
            table.row(streamName(stream.streamId()), stream.headSeq(), stream.ackedSeq(), stream.headSeq() - stream.ackedSeq());
        }
        table.print(out, "  ");
        return 0;
    }

    private int kick(final ConsoleArgs args, final PrintStream out)
    {
        final String deviceId = device(args, "kick <deviceId>");
        client().kick(deviceId);
        out.println(deviceId + ": kicked (BYE kicked sent if it was online)");
        return 0;
    }

    private static String device(final ConsoleArgs args, final String usage)
    {
        if (args.arguments().size() != 1)
        {
            throw new IllegalArgumentException(usage);
        }
        return args.arguments().get(0);
    }

    private static String streamName(final long streamId)
    {
        if (streamId == io.pushwire.protocol.Protocol.UNICAST_STREAM_ID)
        {
            return "device";
        }
        return streamId == io.pushwire.protocol.Protocol.BROADCAST_STREAM_ID ? "broadcast" : "topic " + streamId;
    }

    static long parseLong(final String what, final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
    }

    public void close()
    {
        if (null != client)
        {
            client.close();
        }
    }
}
