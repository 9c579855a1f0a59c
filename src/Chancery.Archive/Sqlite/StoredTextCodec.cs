using K4os.Compression.LZ4;
using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Compressing;
using Lucene.Net.Codecs.Lucene46;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Chancery.Archive.Sqlite;

/// <summary>
/// The full-text index's codec: Lucene 4.6's, with the stored texts (kept for snippets) compressed in LZ4 blocks by
/// K4os.Compression.LZ4 instead of Lucene.Net's own managed LZ4, which was about a tenth of indexing's CPU and most
/// of reading a page of hits' texts (bench ingest, BENCHMARKS.md). Segments written before keep their own codec and
/// are read as they were; a merge rewrites them with this one.
/// </summary>
[CodecName(CodecId)]
internal sealed class StoredTextCodec : FilterCodec
{
    /// <summary>The name each segment records, by which readers find this codec.</summary>
    public const string CodecId = "Chancery46";

    // one mode for every instance: a merge copies compressed blocks as they are only between equal modes
    private static readonly CompressionMode Mode = new Lz4Mode();

    private readonly StoredFieldsFormat _stored = new CompressingStoredFieldsFormat("ChanceryStoredFields", Mode, 1 << 14);

    public StoredTextCodec() : base(new Lucene46Codec())
    {
    }

    /// <summary>The one instance writers use.</summary>
    public static Codec Instance { get; } = new StoredTextCodec();

    public override StoredFieldsFormat StoredFieldsFormat => _stored;

    /// <summary>
    /// Makes the codec known to every reader in the process (a reader finds a segment's codec by name). Idempotent;
    /// called before the index is first opened.
    /// </summary>
    public static void Register() => _ = Registration.Done;

    private static class Registration
    {
        public static readonly bool Done = Set();

        private static bool Set()
        {
            Codec.SetCodecFactory(new DefaultCodecFactory { CustomCodecTypes = [typeof(StoredTextCodec)] });
            return true;
        }
    }

    /// <summary>LZ4 blocks, each written as its compressed length then its bytes; a block is decoded whole.</summary>
    private sealed class Lz4Mode : CompressionMode
    {
        public override Compressor NewCompressor() => new Lz4Compressor();

        public override Decompressor NewDecompressor() => new Lz4Decompressor();

        public override string ToString() => "K4os LZ4";
    }

    private sealed class Lz4Compressor : Compressor
    {
        private byte[] _buffer = [];

        public override void Compress(byte[] bytes, int off, int len, DataOutput output)
        {
            var max = LZ4Codec.MaximumOutputSize(len);
            if (_buffer.Length < max)
            {
                _buffer = new byte[ArrayUtil.Oversize(max, 1)];
            }
            var n = len == 0 ? 0 : LZ4Codec.Encode(bytes.AsSpan(off, len), _buffer.AsSpan(0, max));
            if (n < 0)
            {
                throw new InvalidOperationException("LZ4 could not encode a stored-fields block");
            }
            output.WriteVInt32(n);
            output.WriteBytes(_buffer, 0, n);
        }
    }

    private sealed class Lz4Decompressor : Decompressor
    {
        private byte[] _compressed = [];

        public override void Decompress(DataInput input, int originalLength, int offset, int length, BytesRef bytes)
        {
            var n = input.ReadVInt32();
            if (_compressed.Length < n)
            {
                _compressed = new byte[ArrayUtil.Oversize(n, 1)];
            }
            input.ReadBytes(_compressed, 0, n);
            if (bytes.Bytes.Length < originalLength)
            {
                bytes.Bytes = new byte[ArrayUtil.Oversize(originalLength, 1)];
            }
            var decoded = originalLength == 0 ? 0 : LZ4Codec.Decode(_compressed.AsSpan(0, n), bytes.Bytes.AsSpan(0, originalLength));
            if (decoded != originalLength)
            {
                throw new Lucene.Net.Index.CorruptIndexException($"stored-fields block decoded to {decoded} bytes, not {originalLength} ({input})");
            }
            bytes.Offset = offset;
            bytes.Length = length;
        }

        public override object Clone() => new Lz4Decompressor();
    }
}
