package io.pushwire.sim;

import io.pushwire.config.Setting;

import java.util.List;

/**
 * Settings of the device simulator ({@code pushwire sim}). The parent process reads them and passes
 * them to its worker processes as system properties.
 */
final class SimConfiguration
{
    static final Setting SCENARIO = Setting.of(
        "pushwire.sim.scenario", "idle", "idle | unicast | broadcast | reconnect-storm");
    static final Setting CONNECTIONS = Setting.of(
        "pushwire.sim.connections", "1000", "device connections to hold, over all workers");
    static final Setting TARGET = Setting.of(
        "pushwire.sim.target", "127.0.0.1:7100", "gateway address host:port (gateways share it with SO_REUSEPORT)");
    static final Setting PER_WORKER = Setting.of(
        "pushwire.sim.per-worker", "18000", "connections one worker process holds (its open-file limit is 20,000)");
    static final Setting SOURCE_ADDRESSES = Setting.of(
        "pushwire.sim.sources", "64", "local source addresses 127.0.0.2 upward, so ephemeral ports do not run out");
    static final Setting CONNECT_RATE = Setting.of(
        "pushwire.sim.connect-rate", "20000", "new connections a second over all workers");
    static final Setting HEARTBEAT = Setting.of(
        "pushwire.sim.heartbeat", "60s", "heartbeat interval the devices announce (the gateway clamps it)");
    static final Setting DURATION = Setting.of(
        "pushwire.sim.duration", "30s", "how long the scenario's measured phase lasts (idle: how long to hold)");
    static final Setting RATE = Setting.of(
        "pushwire.sim.rate", "0", "unicast: pushes a second (0 = as fast as accepted)");
    static final Setting WARMUP = Setting.of(
        "pushwire.sim.warmup", "15s", "unicast: how long to push at the measured rate before measuring (JIT, store files, buffers)");
    static final Setting WARMUP_BROADCASTS = Setting.of(
        "pushwire.sim.warmup-broadcasts", "5", "broadcast: unmeasured broadcasts first (the devices' and gateways' code gets compiled)");
    static final Setting ROUNDS = Setting.of(
        "pushwire.sim.rounds", "3", "broadcast: measured broadcasts, one at a time (the result is their median)");
    static final Setting ACK_DELAY = Setting.of(
        "pushwire.sim.ack-delay", "0ms",
        "how long a device waits before its cumulative ACK (0 = at once); stands in for a phone's network round trip");
    static final Setting PAYLOAD = Setting.of(
        "pushwire.sim.payload", "64", "push payload bytes (at least 8: a send time stamp)");
    static final Setting DEVICE_PREFIX = Setting.of(
        "pushwire.sim.device-prefix", "sim", "device ids are <prefix>-<worker>-<n>");
    static final Setting TIMEOUT = Setting.of(
        "pushwire.sim.timeout", "300s", "hard limit on the whole run; it stops by itself after this");
    static final Setting OUTPUT = Setting.of(
        "pushwire.sim.output", "sim-result.json", "where the JSON result is written");
    static final Setting GATEWAY_PIDS = Setting.of(
        "pushwire.sim.gateway-pids", "", "pids of the gateways to measure (default: every gateway on the box's Aeron dir)");

    private SimConfiguration()
    {
    }

    static List<Setting> settings()
    {
        return List.of(SCENARIO, CONNECTIONS, TARGET, PER_WORKER, SOURCE_ADDRESSES, CONNECT_RATE, HEARTBEAT, DURATION,
            RATE, WARMUP, WARMUP_BROADCASTS, ROUNDS, ACK_DELAY, PAYLOAD, DEVICE_PREFIX, TIMEOUT, OUTPUT, GATEWAY_PIDS);
    }
}
