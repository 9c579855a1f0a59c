using Chancery.Bench;

// Whole-process benchmark driver: each benchmark measures its baseline in the same run and prints the ratio.
return args.FirstOrDefault() switch
{
    "ingest" => IngestBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Chancery.Bench -- ingest [CORPUS_DIR...]");
    return 2;
}
