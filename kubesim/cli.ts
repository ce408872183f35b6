// `kubelab sim`: reserved by the foundation; the embedded cluster issue fills it in.
export async function runSim(_argv: string[]): Promise<number> {
  process.stderr.write('kubelab sim: the embedded cluster is not built yet\n');
  return 2;
}
