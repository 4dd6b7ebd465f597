/** FOCUS values of the eval's sample file, as the questions' expectations name them. */
export const SERVICE = {
  ec2: 'Amazon Elastic Compute Cloud',
  s3: 'Amazon Simple Storage Service',
  rds: 'Amazon Relational Database Service',
  lambda: 'AWS Lambda',
  eks: 'Amazon Elastic Kubernetes Service',
  aks: 'Azure Kubernetes Service',
  gke: 'Kubernetes Engine',
  bigquery: 'BigQuery',
  azureSql: 'Azure SQL Database',
  cloudSql: 'Cloud SQL',
} as const;

export const PROVIDER = { aws: 'AWS', azure: 'Microsoft', gcp: 'Google Cloud' } as const;

export const ACCOUNT = {
  erpEuProd: '7d3e9a10-2b4c-4e5f-9a6b-1c2d3e4f5a6b',
  paymentsProd: '483920175634',
  shopProd: 'shop-prod-4821',
} as const;
