namespace FeatureStore.Cli;

/// <summary>What the process's exit code says (README lists them).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A service refused the request (4xx): the line printed names why and which fields.</summary>
    public const int Refused = 1;
    /// <summary>The command line itself is wrong (an unknown command or option, a missing argument, no configuration).</summary>
    public const int Usage = 2;
    /// <summary>A job the command followed ended failed or cancelled.</summary>
    public const int JobFailed = 3;
    /// <summary>A service or a dependency it names is unavailable (503, or nothing answers).</summary>
    public const int Unavailable = 4;
}
