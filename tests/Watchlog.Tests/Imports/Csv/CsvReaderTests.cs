using System.Text;
using Watchlog.Imports.Csv;

namespace Watchlog.Tests.Imports.Csv;

public class CsvReaderTests
{
    static async Task<List<CsvRecord>> ReadAsync(byte[] bytes)
    {
        var records = new List<CsvRecord>();
        await foreach (var r in CsvReader.ReadAsync(new MemoryStream(bytes), CancellationToken.None)) records.Add(r);
        return records;
    }

    static Task<List<CsvRecord>> ReadAsync(string text) => ReadAsync(Encoding.UTF8.GetBytes(text));

    static string[][] Fields(IEnumerable<CsvRecord> records) => records.Select(r => r.Fields.ToArray()).ToArray();

    [Fact]
    public async Task Reads_records_with_the_line_each_starts_on()
    {
        var records = await ReadAsync("id,title\n1,Dark\n2,Severance\n");

        Assert.Equal([["id", "title"], ["1", "Dark"], ["2", "Severance"]], Fields(records));
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.All(records, r => Assert.Null(r.Error));
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_and_turn_doubled_quotes_into_one()
    {
        var records = await ReadAsync("\"Love, Death & Robots\",\"He said \"\"hi\"\"\",\"\"\"\"\n");

        Assert.Equal(["Love, Death & Robots", "He said \"hi\"", "\""], Assert.Single(records).Fields);
    }

    [Fact]
    public async Task Quoted_fields_keep_embedded_newlines_and_later_records_count_those_lines()
    {
        var records = await ReadAsync("a,b\n1,\"first line\nsecond line\r\nthird\"\n2,x\n");

        Assert.Equal("first line\nsecond line\r\nthird", records[1][1]);
        Assert.Equal([1, 2, 5], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Accepts_CRLF_LF_and_a_lone_CR_as_line_ends()
    {
        var records = await ReadAsync("a,b\r\n1,2\n3,4\r5,6\r\n");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], Fields(records));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Skips_a_byte_order_mark()
    {
        var records = await ReadAsync([0xEF, 0xBB, 0xBF, .. "Title,Date\r\nDark,1/2/24\r\n"u8]);

        Assert.Equal("Title", records[0][0]);
        Assert.Equal(["Dark", "1/2/24"], records[1].Fields);
    }

    [Fact]
    public async Task Empty_fields_read_as_empty_text_and_a_trailing_comma_adds_one()
    {
        var records = await ReadAsync("1,,\"\",x,\n");

        Assert.Equal(["1", "", "", "x", ""], Assert.Single(records).Fields);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_but_still_counted()
    {
        var records = await ReadAsync("a\n\n1\r\n\r\n2\n\n");

        Assert.Equal([["a"], ["1"], ["2"]], Fields(records));
        Assert.Equal([1, 3, 5], records.Select(r => r.Line));
    }

    [Fact]
    public async Task The_last_record_needs_no_line_end()
    {
        var records = await ReadAsync("a,b\n1,\"two\"");

        Assert.Equal(["1", "two"], records[1].Fields);
    }

    [Fact]
    public async Task Stray_quotes_are_kept_as_written()
    {
        var records = await ReadAsync("12\" Vinyl,\"Quoted\" tail,x\n");

        Assert.Equal(["12\" Vinyl", "Quoted tail", "x"], Assert.Single(records).Fields);
    }

    [Fact]
    public async Task A_quote_never_closed_is_an_error_on_its_line_and_reading_goes_on_at_the_next()
    {
        var records = await ReadAsync("id,title\n1,\"Broken\n2,Fine\n3,Also fine\n");

        Assert.Equal(["id", "title"], records[0].Fields);
        var bad = records[1];
        Assert.Equal(2, bad.Line);
        Assert.Contains("never closed", bad.Error);
        Assert.Equal(0, bad.Count);
        Assert.Equal([["2", "Fine"], ["3", "Also fine"]], Fields(records.Skip(2)));
        Assert.Equal([3, 4], records.Skip(2).Select(r => r.Line));
    }

    [Fact]
    public async Task A_record_longer_than_the_limit_is_an_error_and_reading_goes_on()
    {
        var huge = new string('x', CsvReader.MaxRecordBytes + 10);
        var records = await ReadAsync($"1,ok\n2,\"{huge}\nnext,row\n");

        Assert.Equal(["1", "ok"], records[0].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Contains("longer than 16 MB", records[1].Error);
        Assert.Equal(["next", "row"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public async Task Records_read_the_same_wherever_the_buffer_boundary_falls()
    {
        // The reader refills at 64 KiB; shifting the tricky record across that point splits CRLF, "" and é between reads.
        const string tricky = "\"Amélie, \"\"the\"\" film\",\"line\r\nbreak\"\r\nnext,é\r\n";
        for (var shift = 0; shift < 80; shift++)
        {
            var padding = new string('p', (1 << 16) - 64 + shift);
            var records = await ReadAsync($"{padding}\r\n{tricky}");

            Assert.Equal([[padding], ["Amélie, \"the\" film", "line\r\nbreak"], ["next", "é"]], Fields(records));
            Assert.Equal([1, 2, 4], records.Select(r => r.Line));
        }
    }

    [Fact]
    public async Task BytesRead_grows_to_the_length_of_the_input()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n");

        var records = await ReadAsync(bytes);

        Assert.Equal([4L, 8L, 12L], records.Select(r => r.BytesRead));
    }

    [Fact]
    public async Task The_header_finds_columns_by_trimmed_case_insensitive_name_and_names_the_missing_ones()
    {
        var records = await ReadAsync(" Show_ID , title,Title\ns1,Dark,Other\n");
        var header = new CsvHeader(records[0]);

        Assert.Equal(0, header["show_id"]);
        Assert.Equal(1, header["TITLE"]);
        Assert.Equal(-1, header["cast"]);
        Assert.Equal("", records[1][header["cast"]]);
        Assert.Equal(["cast", "country"], header.Missing("title", "cast", "show_id", "country"));
    }
}
