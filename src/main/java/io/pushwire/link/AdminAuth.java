package io.pushwire.link;

/**
 * The signature trailer of a remote administrative command, on the command stream to dispatch and the
 * control stream to gateways. Both streams' messages start with the same 24-byte header
 * ({@code type u16 | version u16 | flags i32 | clientId i64 | correlationId i64}); bit
 * {@link #FLAG_SIGNED} of {@code flags} says a trailer follows the message body:
 * <pre>
 *  message (header with FLAG_SIGNED set | body) | keyId u16 | timestampMs i64 | nonce i64 | mac 16 bytes
 *  mac = first 16 bytes of HMAC-SHA256(operatorKey[keyId], every byte before the mac)
 * </pre>
 * so the MAC covers the header (flag included), the body, the key id, the timestamp and the nonce.
 * A verifier ({@link AdminVerifier}) refuses a command whose key is unknown, whose MAC differs (compared in
 * constant time), whose timestamp is further than the skew from its clock, or whose nonce it has seen
 * within the window (a replay). Little-endian, as Agrona writes.
 */
public final class AdminAuth
{
    public static final int FLAGS_OFFSET = 4;
    public static final int FLAG_SIGNED = 1;
    public static final int MESSAGE_HEADER_LENGTH = 24;
    public static final int CLIENT_ID_OFFSET = 8;
    public static final int CORRELATION_ID_OFFSET = 16;

    public static final int KEY_ID_OFFSET = 0;
    public static final int TIMESTAMP_OFFSET = 2;
    public static final int NONCE_OFFSET = 10;
    public static final int MAC_OFFSET = 18;
    public static final int MAC_LENGTH = 16;
    public static final int TRAILER_LENGTH = MAC_OFFSET + MAC_LENGTH;

    /**
     * Verification results: {@link #OK}, or why a command was refused.
     */
    public static final int OK = 0;
    public static final int UNSIGNED = 1;
    public static final int UNKNOWN_KEY = 2;
    public static final int BAD_MAC = 3;
    public static final int STALE = 4;
    public static final int REPLAYED = 5;
    public static final int REPLAY_CACHE_FULL = 6;
    public static final int MALFORMED = 7;

    private AdminAuth()
    {
    }

    /**
     * @param result a verification result.
     * @return what it means, for an ERROR answer and logs.
     */
    public static String describe(final int result)
    {
        return switch (result)
        {
            case OK -> "ok";
            case UNSIGNED -> "refused: remote command without a signature";
            case UNKNOWN_KEY -> "refused: unknown operator key";
            case BAD_MAC -> "refused: bad signature";
            case STALE -> "refused: timestamp outside the allowed clock skew";
            case REPLAYED -> "refused: replayed command (nonce already seen)";
            case REPLAY_CACHE_FULL -> "refused: replay cache full, try again later";
            case MALFORMED -> "refused: signed command too short";
            default -> "refused: " + result;
        };
    }
}
