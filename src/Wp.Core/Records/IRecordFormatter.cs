namespace Wp.Core.Records;

/// <summary>Renders one record as one output line (SPEC §7.2).</summary>
internal interface IRecordFormatter
{
    /// <summary>Appends the record and a terminating <c>\n</c>. Raw records are written as-is.</summary>
    void Format(Record record, TextBuffer output);
}
