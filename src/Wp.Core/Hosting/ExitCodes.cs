namespace Wp.Core.Hosting;

/// <summary>Process exit codes shared by every tool (SPEC §13).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int Usage = 2;
    public const int Config = 3;
    public const int ValidationFailed = 4;
    public const int RescueLeft = 5;
}
