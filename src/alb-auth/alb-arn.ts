export interface AlbArn {
  partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  region: string;
  account: string;
  name: string;
  id: string;
}

const ALB_ARN = /^arn:(aws|aws-cn|aws-us-gov):elasticloadbalancing:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):loadbalancer\/app\/([A-Za-z0-9-]{1,32})\/([0-9a-f]{16})$/;

export function parseAlbArn(arn: string): AlbArn | null {
  const match = ALB_ARN.exec(arn);
  if (!match) return null;
  return {
    partition: match[1] as AlbArn['partition'],
    region: match[2],
    account: match[3],
    name: match[4],
    id: match[5],
  };
}

/** The public-key endpoint AWS documents for a load balancer's partition and region. */
export function defaultKeyEndpoint(arn: AlbArn): string {
  switch (arn.partition) {
    case 'aws-us-gov':
      return `https://s3-${arn.region}.amazonaws.com/aws-elb-public-keys-prod-${arn.region}`;
    case 'aws-cn':
      return `https://public-keys.auth.elb.${arn.region}.amazonaws.com.cn`;
    default:
      return `https://public-keys.auth.elb.${arn.region}.amazonaws.com`;
  }
}
