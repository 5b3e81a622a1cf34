/** Layout alternatives, measured with the real kustomize (filled in below). */
export async function runLayouts(o: { repo: string; runs: number; log: (line: string) => void }): Promise<void> {
  o.log(`layouts: not measured yet (${o.repo}, ${o.runs} runs)`);
}
