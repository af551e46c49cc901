namespace Wp.Core.Config;

/// <summary>The infra group names (SPEC §6.4).</summary>
internal static class InfraGroups
{
    public const string Default = "default";
    public const string Miss = "miss";
    public const string Residue = "residue";
    public const string Intercept = "intercept";
    public const string Error = "error";
    public const string Monitor = "monitor";

    public static readonly IReadOnlyList<string> All = [Default, Miss, Residue, Intercept, Error, Monitor];
}
