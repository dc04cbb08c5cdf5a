using System.Buffers;
using System.Text.Json;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// A thread's UTF-8 buffer and JSON writer, reused by the audit chain's synchronous writes (the
/// canonical payload, the row records, the hashed body) instead of a new pair for each: the live
/// path makes several per write. A rent while the thread's pair is in use gets a pair of its own;
/// a buffer grown past <see cref="KeepBytes"/> is let go.
/// </summary>
internal ref struct ScratchJson
{
    private const int KeepBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static bool t_inUse;

    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly bool _shared;

    private ScratchJson(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, bool shared)
    {
        _buffer = buffer;
        Writer = writer;
        _shared = shared;
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>What has been written so far (the writer flushed).</summary>
    public readonly ReadOnlySpan<byte> Written
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    public static ScratchJson Rent()
    {
        if (t_inUse)
        {
            var own = new ArrayBufferWriter<byte>(1024);
            return new ScratchJson(own, new Utf8JsonWriter(own), shared: false);
        }

        t_inUse = true;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        return new ScratchJson(buffer, writer, shared: true);
    }

    public readonly void Dispose()
    {
        if (!_shared)
        {
            Writer.Dispose();
            return;
        }

        if (_buffer.Capacity > KeepBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        t_inUse = false;
    }
}
