/**
 * Everyday names of cloud services and the words their FOCUS ServiceName contains. `ec2` finds
 * "Amazon Elastic Compute Cloud"; a name that appears in the data as typed is found without an alias.
 */
export const SERVICE_ALIASES: Record<string, string[]> = {
  ec2: ['elastic compute cloud'],
  s3: ['simple storage service'],
  rds: ['relational database service'],
  ebs: ['elastic block store'],
  eks: ['elastic kubernetes service'],
  ecs: ['elastic container service'],
  lambda: ['lambda'],
  cloudfront: ['cloudfront'],
  dynamodb: ['dynamodb'],
  elasticache: ['elasticache'],
  sagemaker: ['sagemaker'],
  athena: ['athena'],
  cloudwatch: ['cloudwatch'],
  vpc: ['virtual private cloud'],
  vms: ['virtual machines'],
  vm: ['virtual machines'],
  aks: ['azure kubernetes service'],
  cosmos: ['cosmos db'],
  gce: ['compute engine'],
  gke: ['kubernetes engine'],
  gcs: ['cloud storage'],
  bigquery: ['bigquery'],
  vertex: ['vertex ai'],
};
