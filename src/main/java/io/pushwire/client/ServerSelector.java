package io.pushwire.client;

import io.pushwire.protocol.Probe;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * Chooses the gateway to connect to.
 * <ol>
 *   <li><b>Candidates</b>: the server name is resolved ({@code InetAddress.getAllByName} on a virtual thread, the wait
 *       bounded by the DNS timeout) and its addresses, with the server port, come first; the embedded fallback
 *       addresses follow; duplicates are dropped. If DNS fails or times out, the fallback list alone is used.</li>
 *   <li><b>Probe race</b>: one UDP probe request goes to every candidate at once from one socket, each with its own
 *       random nonce. A healthy gateway answers at once and a loaded one deliberately late, so the first valid answer
 *       (right length, magic, version, kind and a nonce we sent) names the least-loaded gateway. An answer flagged
 *       draining or full is skipped. The race ends at the first acceptable answer or at the probe timeout.</li>
 *   <li><b>Order</b>: the winner first, then the other candidates in candidate order (DNS, then fallback), then those
 *       that answered draining/full. The client tries a TCP connect to each in this order until one succeeds, so when
 *       no probe answers (UDP blocked, probes unsupported) it simply walks the list.</li>
 * </ol>
 * Blocking; called from the client's I/O thread only. Not thread-safe.
 */
public final class ServerSelector
{
    private static final System.Logger LOG = System.getLogger(ServerSelector.class.getName());

    /**
     * The outcome of a selection.
     *
     * @param order  the addresses to try, in order; empty if there is nothing to try.
     * @param winner the probe race winner, or null if no probe answered acceptably.
     * @param rttNs  the winner's probe round trip, nanoseconds, or -1.
     */
    public record Selection(List<InetSocketAddress> order, InetSocketAddress winner, long rttNs)
    {
    }

    private final String serverName;
    private final int serverPort;
    private final List<InetSocketAddress> fallback;
    private final int probePort;
    private final long dnsTimeoutMs;
    private final long probeTimeoutNs;
    private final NanoClock clock;
    private final RandomGenerator random;
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[Probe.REQUEST_LENGTH]);
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[64]);

    /**
     * @param serverName     the DNS name of the gateways, or null for the fallback list only.
     * @param serverPort     the gateways' TCP port for the DNS results.
     * @param fallback       embedded addresses ({@code host:port}, resolved or not), tried after the DNS results.
     * @param probePort      the UDP probe port, or 0 to probe each candidate on its TCP port.
     * @param dnsTimeoutMs   longest wait for DNS, milliseconds.
     * @param probeTimeoutMs longest wait for a probe answer, milliseconds; 0 skips the race.
     * @param clock          for round-trip times and deadlines.
     * @param random         for nonces.
     */
    public ServerSelector(
        final String serverName,
        final int serverPort,
        final List<InetSocketAddress> fallback,
        final int probePort,
        final long dnsTimeoutMs,
        final long probeTimeoutMs,
        final NanoClock clock,
        final RandomGenerator random)
    {
        this.serverName = serverName;
        this.serverPort = serverPort;
        this.fallback = List.copyOf(fallback);
        this.probePort = probePort;
        this.dnsTimeoutMs = dnsTimeoutMs;
        this.probeTimeoutNs = TimeUnit.MILLISECONDS.toNanos(probeTimeoutMs);
        this.clock = clock;
        this.random = random;
    }

    /**
     * Resolves the candidates, races the probes and orders the result.
     *
     * @return the selection; its order is empty when DNS failed and there is no usable fallback address.
     */
    public Selection select()
    {
        final List<InetSocketAddress> candidates = candidates();
        if (candidates.isEmpty() || 0 == probeTimeoutNs)
        {
            return new Selection(candidates, null, -1);
        }
        return race(candidates);
    }

    /**
     * @return DNS results (with the server port) then the fallback addresses, resolved and de-duplicated.
     */
    public List<InetSocketAddress> candidates()
    {
        final LinkedHashSet<InetSocketAddress> candidates = new LinkedHashSet<>();
        if (null != serverName && !serverName.isEmpty())
        {
            for (final InetAddress address : resolve(serverName))
            {
                candidates.add(new InetSocketAddress(address, serverPort));
            }
        }
        for (final InetSocketAddress address : fallback)
        {
            if (!address.isUnresolved())
            {
                candidates.add(address);
            }
            else
            {
                for (final InetAddress resolved : resolve(address.getHostString()))
                {
                    candidates.add(new InetSocketAddress(resolved, address.getPort()));
                }
            }
        }
        return new ArrayList<>(candidates);
    }

    /**
     * Sends one probe to every candidate and waits for the first acceptable answer.
     *
     * @param candidates where to probe, in candidate order.
     * @return the selection, with the winner first.
     */
    public Selection race(final List<InetSocketAddress> candidates)
    {
        final int n = candidates.size();
        final long[] nonces = new long[n];
        final long[] sentNs = new long[n];
        final boolean[] refused = new boolean[n];
        int winner = -1;
        long rttNs = -1;

        try (DatagramSocket socket = new DatagramSocket())
        {
            for (int i = 0; i < n; i++)
            {
                nonces[i] = random.nextLong();
                final InetSocketAddress candidate = candidates.get(i);
                final int port = 0 != probePort ? probePort : candidate.getPort();
                Probe.encodeRequest(sendBuffer, 0, nonces[i]);
                sentNs[i] = clock.nanoTime();
                try
                {
                    socket.send(new DatagramPacket(
                        sendBuffer.byteArray(), Probe.REQUEST_LENGTH, candidate.getAddress(), port));
                }
                catch (final IOException ex)
                {
                    LOG.log(System.Logger.Level.DEBUG, "probe to " + candidate + " not sent: " + ex);
                }
            }

            final long deadlineNs = clock.nanoTime() + probeTimeoutNs;
            final DatagramPacket packet = new DatagramPacket(receiveBuffer.byteArray(), receiveBuffer.capacity());
            while (winner < 0)
            {
                final long remainingNs = deadlineNs - clock.nanoTime();
                if (remainingNs <= 0)
                {
                    break;
                }
                socket.setSoTimeout((int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNs)));
                packet.setLength(receiveBuffer.capacity());
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    break;
                }
                final long nowNs = clock.nanoTime();
                if (!Probe.isResponse(receiveBuffer, 0, packet.getLength()))
                {
                    continue;
                }
                final int i = indexOf(nonces, Probe.nonce(receiveBuffer, 0));
                if (i < 0 || refused[i])
                {
                    continue;
                }
                if ((Probe.flags(receiveBuffer, 0) & (Probe.FLAG_DRAINING | Probe.FLAG_FULL)) != 0)
                {
                    refused[i] = true;
                    LOG.log(System.Logger.Level.DEBUG, "probe: " + candidates.get(i) + " is draining or full");
                    continue;
                }
                winner = i;
                rttNs = nowNs - sentNs[i];
            }
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "probe race failed: " + ex);
        }

        final List<InetSocketAddress> order = new ArrayList<>(n);
        if (winner >= 0)
        {
            order.add(candidates.get(winner));
        }
        for (int i = 0; i < n; i++)
        {
            if (i != winner && !refused[i])
            {
                order.add(candidates.get(i));
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (refused[i])
            {
                order.add(candidates.get(i));
            }
        }
        return new Selection(order, winner >= 0 ? candidates.get(winner) : null, rttNs);
    }

    private InetAddress[] resolve(final String host)
    {
        final CompletableFuture<InetAddress[]> result = new CompletableFuture<>();
        Thread.ofVirtual().name("pushwire-dns").start(() ->
        {
            try
            {
                result.complete(InetAddress.getAllByName(host));
            }
            catch (final Throwable ex)
            {
                result.completeExceptionally(ex);
            }
        });
        try
        {
            return result.get(dnsTimeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new InetAddress[0];
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            LOG.log(System.Logger.Level.INFO, "DNS for " + host + " failed, using the fallback addresses: " +
                (ex instanceof ExecutionException ? ex.getCause() : "timed out after " + dnsTimeoutMs + " ms"));
            return new InetAddress[0];
        }
    }

    private static int indexOf(final long[] nonces, final long nonce)
    {
        for (int i = 0; i < nonces.length; i++)
        {
            if (nonces[i] == nonce)
            {
                return i;
            }
        }
        return -1;
    }
}
