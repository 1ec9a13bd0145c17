using FeatureStore.Cli;

return await CliApp.RunAsync(args);
