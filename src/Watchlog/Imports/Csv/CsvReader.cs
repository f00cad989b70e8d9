using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Watchlog.Imports.Csv;

/// <summary>
/// A streaming RFC 4180 reader: UTF-8 (a leading BOM is skipped), records ended by CRLF, LF or a lone CR, quoted
/// fields with commas, <c>""</c> escapes and newlines. It is lenient where exporters are sloppy: a quote inside an
/// unquoted field, or text after a closing quote, is kept as written. Blank lines are skipped.
/// A record that cannot be read (a quote never closed, or a record over <see cref="MaxRecordBytes"/>) comes out as
/// a <see cref="CsvRecord"/> with an <see cref="CsvRecord.Error"/>, and reading goes on at the line after its first.
/// Memory stays at one buffer that holds the longest record.
/// </summary>
public static class CsvReader
{
    public const int MaxRecordBytes = 16 << 20;

    public static async IAsyncEnumerable<CsvRecord> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var window = new Window(stream);
        var parser = new RecordParser();
        var line = 1;
        await window.FillAsync(ct);
        if (window.Pending.StartsWith("\uFEFF"u8)) window.Consume(3);

        while (!window.Pending.IsEmpty || !window.Eof)
        {
            var outcome = parser.Parse(window.Pending, window.Eof, out var consumed, out var lineBreaks);
            if (outcome == Outcome.NeedMore && window.Pending.Length < MaxRecordBytes)
            {
                await window.FillAsync(ct);
                continue;
            }
            if (outcome is Outcome.NeedMore or Outcome.Unterminated)
            {
                var error = outcome == Outcome.Unterminated
                    ? "a quote opened on this line is never closed; the line was skipped"
                    : $"the record is longer than {MaxRecordBytes >> 20} MB (probably a quote that is never closed); the line was skipped";
                while (!window.SkipLine()) await window.FillAsync(ct);
                yield return CsvRecord.Malformed(line, error, window.Position);
                line++;
                continue;
            }
            window.Consume(consumed);
            if (outcome == Outcome.Record) yield return new CsvRecord(line, parser.TakeFields(), null, window.Position);
            line += lineBreaks;
        }
    }

    enum Outcome { Record, Blank, NeedMore, Unterminated }

    /// <summary>Turns the bytes of one record into fields; it starts over when the record reaches past the bytes it was given.</summary>
    sealed class RecordParser
    {
        static readonly SearchValues<byte> FieldEnd = SearchValues.Create(",\r\n"u8);
        readonly List<string> _fields = new(32);
        readonly ArrayBufferWriter<byte> _quoted = new(256);

        public string[] TakeFields() => [.. _fields];

        /// <param name="final">No more bytes will come, so the record ends where <paramref name="data"/> ends.</param>
        /// <param name="consumed">Bytes the record took, its line break included.</param>
        /// <param name="lineBreaks">Line breaks in those bytes: inside quoted fields and the one that ends the record.</param>
        public Outcome Parse(ReadOnlySpan<byte> data, bool final, out int consumed, out int lineBreaks)
        {
            _fields.Clear();
            consumed = 0;
            lineBreaks = 0;
            if (data.IsEmpty) return final ? Outcome.Blank : Outcome.NeedMore;
            if (data[0] is (byte)'\r' or (byte)'\n')
            {
                if (data.Length == 1 && data[0] == '\r' && !final) return Outcome.NeedMore;
                consumed = data[0] == '\r' && data.Length > 1 && data[1] == '\n' ? 2 : 1;
                lineBreaks = 1;
                return Outcome.Blank;
            }

            var i = 0;
            while (true)
            {
                int end; // where the field stops: at ',', '\r', '\n', or the end of the data
                if (i < data.Length && data[i] == '"')
                {
                    _quoted.ResetWrittenCount();
                    var j = i + 1;
                    while (true)
                    {
                        var quote = data[j..].IndexOf((byte)'"');
                        if (quote < 0) return final ? Outcome.Unterminated : Outcome.NeedMore;
                        var part = data.Slice(j, quote);
                        lineBreaks += CountLineBreaks(part);
                        _quoted.Write(part);
                        j += quote + 1;
                        if (j == data.Length && !final) return Outcome.NeedMore; // "" split across reads?
                        if (j < data.Length && data[j] == '"')
                        {
                            _quoted.Write("\""u8);
                            j++;
                            continue;
                        }
                        break;
                    }
                    var after = data[j..].IndexOfAny(FieldEnd);
                    if (after < 0 && !final) return Outcome.NeedMore;
                    end = after < 0 ? data.Length : j + after;
                    _quoted.Write(data[j..end]);
                    _fields.Add(Encoding.UTF8.GetString(_quoted.WrittenSpan));
                }
                else
                {
                    var next = data[i..].IndexOfAny(FieldEnd);
                    if (next < 0 && !final) return Outcome.NeedMore;
                    end = next < 0 ? data.Length : i + next;
                    _fields.Add(end == i ? "" : Encoding.UTF8.GetString(data[i..end]));
                }

                if (end == data.Length)
                {
                    consumed = end;
                    return Outcome.Record;
                }
                if (data[end] == ',')
                {
                    i = end + 1;
                    continue;
                }
                if (data[end] == '\r' && end + 1 == data.Length && !final) return Outcome.NeedMore; // CR, then LF?
                consumed = data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? end + 2 : end + 1;
                lineBreaks++;
                return Outcome.Record;
            }
        }

        static int CountLineBreaks(ReadOnlySpan<byte> text)
        {
            var count = text.Count((byte)'\n');
            for (var at = text.IndexOf((byte)'\r'); at >= 0; at = text.IndexOf((byte)'\r'))
            {
                if (at + 1 >= text.Length || text[at + 1] != '\n') count++;
                text = text[(at + 1)..];
            }
            return count;
        }
    }

    /// <summary>The unread part of the stream in one buffer that grows only to hold a record longer than itself.</summary>
    sealed class Window(Stream stream)
    {
        byte[] _data = new byte[1 << 16];
        int _start, _end;
        long _offset;

        public bool Eof { get; private set; }
        public ReadOnlySpan<byte> Pending => _data.AsSpan(_start, _end - _start);
        public long Position => _offset + _start;
        public void Consume(int count) => _start += count;

        /// <summary>Drops the bytes up to and including the next line break; false when they ran out before one (read more).</summary>
        public bool SkipLine()
        {
            var data = Pending;
            var at = data.IndexOfAny((byte)'\r', (byte)'\n');
            if (at < 0)
            {
                _start = _end;
                return Eof;
            }
            if (data[at] == '\r' && at + 1 == data.Length && !Eof)
            {
                _start += at; // CR, then LF?
                return false;
            }
            _start += data[at] == '\r' && at + 1 < data.Length && data[at + 1] == '\n' ? at + 2 : at + 1;
            return true;
        }

        public async ValueTask FillAsync(CancellationToken ct)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_data, _start, _data, 0, _end - _start);
                _offset += _start;
                _end -= _start;
                _start = 0;
            }
            if (_end == _data.Length) Array.Resize(ref _data, _data.Length * 2);
            // Fill the whole buffer: a long record is then parsed again only each time the buffer doubles.
            while (_end < _data.Length)
            {
                var read = await stream.ReadAsync(_data.AsMemory(_end), ct);
                if (read == 0)
                {
                    Eof = true;
                    return;
                }
                _end += read;
            }
        }
    }
}
