import { processChunk, type ChunkResult, type ChunkTask } from '@harmonizer/core';

/** Thread entry for the pool: pure CPU work on one chunk of whole records. */
export default function chunkTask(task: ChunkTask): ChunkResult {
  return processChunk(task);
}
