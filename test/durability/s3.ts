/**
 * The rehearsal's object store: s3rver (npm, a filesystem-backed S3 emulator) on a loopback port.
 * It serves what barman-cloud's boto3 client calls: HeadBucket, PutObject and multipart upload
 * (CreateMultipartUpload, UploadPart, CompleteMultipartUpload) for the base backup's tar,
 * ListObjectsV2 to find backups and WAL, GetObject and HeadObject to restore them.
 */
import S3rver from "s3rver";

export interface LocalS3 {
  endpoint: string;
  close: () => Promise<void>;
}

export async function startS3(directory: string, bucket: string): Promise<LocalS3> {
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, close: () => server.close() };
}
